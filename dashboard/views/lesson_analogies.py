"""Lesson page: its text is data/lessons/*-analogies.md (see data/lessons/README.md)."""

from dashboard.components.lesson import show_lesson

show_lesson("analogies")
