"""Lesson page: its text is data/lessons/*-char-lm.md (see data/lessons/README.md)."""

from dashboard.components.lesson import show_lesson

show_lesson("char-lm")
