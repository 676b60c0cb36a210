"""Glossary: the terms the pages use, from data/glossary.md."""

from dashboard.components.glossary import show_glossary

show_glossary()
