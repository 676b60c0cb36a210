"""The one lesson view: a Markdown file under data/lessons/ laid out with live widgets.

A lesson file is plain Markdown (see data/lessons/README.md): a ``# Title``, then ``## `` sections.
``## Goal`` becomes the goal box, ``## Discussion questions`` the questions, and
``## Answers and teacher notes`` an expander that stays closed; every other section is drawn in
order. A line ``[[widget: NAME]]`` inside a section places the live widget NAME from
:data:`dashboard.components.lesson_widgets.WIDGETS` there. The page code holds no lesson text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from dashboard.components import presentation
from dashboard.components.fragments import part
from dashboard.components.lesson_widgets import OWN_REFRESH, WIDGETS

LESSONS = Path(__file__).resolve().parents[2] / "data" / "lessons"
WIDGET_LINE = re.compile(r"^\[\[widget:\s*([a-z0-9_]+)\s*\]\]\s*$")
GOAL, QUESTIONS, ANSWERS = "goal", "discussion questions", "answers and teacher notes"


@dataclass
class Section:
    heading: str
    parts: list[tuple[str, str]] = field(default_factory=list)  # ("text" | "widget", content)

    @property
    def widgets(self) -> list[str]:
        """The names of the widgets the section places."""
        return [c for kind, c in self.parts if kind == "widget"]

    @property
    def text(self) -> str:
        return "\n".join(c for kind, c in self.parts if kind == "text").strip()


@dataclass
class Lesson:
    slug: str
    title: str
    sections: list[Section]

    def section(self, name: str) -> Section | None:
        return next((s for s in self.sections if s.heading.lower() == name), None)

    @property
    def body(self) -> list[Section]:
        return [s for s in self.sections if s.heading.lower() not in (GOAL, QUESTIONS, ANSWERS)]

    def widgets(self) -> list[str]:
        return [c for s in self.sections for kind, c in s.parts if kind == "widget"]


def parse_lesson(slug: str, text: str) -> Lesson:
    """Split a lesson's Markdown into its title and ``##`` sections with widget markers."""
    title, sections, lines = slug, [], []
    current: Section | None = None

    def flush() -> None:
        if current is not None and lines:
            current.parts.append(("text", "\n".join(lines)))
        lines.clear()

    for line in text.splitlines():
        if line.startswith("# ") and current is None:
            title = line[2:].strip()
        elif line.startswith("## "):
            flush()
            current = Section(line[3:].strip())
            sections.append(current)
        elif current is not None and (match := WIDGET_LINE.match(line.strip())):
            flush()
            current.parts.append(("widget", match.group(1)))
        elif current is not None:
            lines.append(line)
    flush()
    return Lesson(slug, title, sections)


def lesson_files() -> list[Path]:
    """The lesson files in order (their names start with a number)."""
    return sorted(LESSONS.glob("[0-9]*.md"))


def load_lesson(slug: str) -> Lesson:
    """The lesson ``slug`` (file name without the number prefix and ``.md``)."""
    for path in lesson_files():
        if path.stem.split("-", 1)[-1] == slug:
            return parse_lesson(slug, path.read_text(encoding="utf-8"))
    raise KeyError(f"no lesson {slug!r} in {LESSONS}")


def _draw(section: Section, lesson: Lesson, fold: bool = False) -> None:
    """The section's text and widgets in order; ``fold``: each text in a closed expander when
    the section has a widget to show (a section of text alone is the screen's content)."""
    fold = fold and bool(section.widgets)
    for kind, content in section.parts:
        if kind == "text":
            if content.strip():
                if fold:
                    with st.expander("Explanation", icon=":material/info:"):
                        st.markdown(content)
                else:
                    st.markdown(content)
        elif content in WIDGETS:  # a change inside a widget reruns only that widget
            if content in OWN_REFRESH:
                WIDGETS[content]()
            else:
                part(f"lesson_{content}")(WIDGETS[content])
        else:
            st.warning(f"The lesson file of *{lesson.title}* asks for a widget called "
                       f"`{content}`, which does not exist. Known widgets: "
                       + ", ".join(sorted(WIDGETS)) + ".")


def show_lesson(slug: str) -> None:
    """Draw the lesson ``slug``: goal, sections with their widgets, questions, closed answers."""
    lesson = load_lesson(slug)
    st.title(lesson.title)
    goal = lesson.section(GOAL)
    if goal is not None:
        st.info(goal.text, icon=":material/flag:")
    body = lesson.body
    questions = lesson.section(QUESTIONS)
    if presentation.active() and body:
        _present(lesson, body, questions)
    else:
        for section in body:
            st.subheader(section.heading)
            _draw(section, lesson)
        if questions is not None:
            st.subheader("Discussion questions")
            _draw(questions, lesson)
    answers = lesson.section(ANSWERS)
    if answers is not None:
        with st.expander("Answers and teacher notes"):
            _draw(answers, lesson)


def _questions(section: Section | None) -> list[str]:
    """The items of a questions section (numbered or bulleted lines and their continuations)."""
    items: list[str] = []
    for line in (section.text if section is not None else "").splitlines():
        if re.match(r"^\s*(\d+[.)]|[-*])\s+", line):
            items.append(re.sub(r"^\s*(\d+[.)]|[-*])\s+", "", line))
        elif line.strip() and items:
            items[-1] += " " + line.strip()
    return items


def _present(lesson: Lesson, body: list[Section], questions: Section | None) -> None:
    """One step per screen, then one discussion question per screen; the text of each step
    folded away under its heading (the teacher moves on with the buttons)."""
    asked = _questions(questions)
    screens = [(s.heading, s) for s in body] + [
        (f"Discussion question {i + 1} of {len(asked)}", q) for i, q in enumerate(asked)]
    key = f"lesson_step_{lesson.slug}"

    def move(by: int) -> None:  # before the rerun draws the buttons, so they match the step
        st.session_state[key] = min(max(st.session_state.get(key, 0) + by, 0), len(screens) - 1)

    step = min(st.session_state.get(key, 0), len(screens) - 1)
    left, mid, right = st.columns([1, 4, 1])
    left.button("Previous", key=f"{key}_prev", disabled=step == 0, on_click=move, args=(-1,))
    right.button("Next", key=f"{key}_next", type="primary", disabled=step == len(screens) - 1,
                 on_click=move, args=(1,))
    mid.caption(f"Step {step + 1} of {len(screens)}")
    heading, content = screens[step]
    with st.container(key="lesson_screen"):  # (the projector check looks inside it)
        st.subheader(heading)
        if isinstance(content, Section):
            _draw(content, lesson, fold=True)
        else:
            st.markdown(f"### {content}")


def start_here() -> None:
    """Home's "Start here": data/lessons/start.md and a link to every lesson, in order."""
    from dashboard.navigation import SECTIONS, page

    st.subheader("Start here")
    with presentation.explain("How to use the lessons"):
        st.markdown((LESSONS / "start.md").read_text(encoding="utf-8"))
    cols = st.columns(2)
    for i, (file, title, icon) in enumerate(SECTIONS["Lessons"]):
        cols[i % 2].page_link(page(file), label=title, icon=f":material/{icon}:")
