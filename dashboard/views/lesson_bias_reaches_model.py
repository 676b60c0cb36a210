"""Lesson page: its text is data/lessons/*-bias-reaches-model.md (see data/lessons/README.md)."""

from dashboard.components.lesson import show_lesson

show_lesson("bias-reaches-model")
