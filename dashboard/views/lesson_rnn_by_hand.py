"""Lesson page: its text is data/lessons/*-rnn-by-hand.md (see data/lessons/README.md)."""

from dashboard.components.lesson import show_lesson

show_lesson("rnn-by-hand")
