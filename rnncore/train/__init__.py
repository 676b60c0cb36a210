"""Training loops and background jobs (progress callback + stop flag)."""

from rnncore.train.jobs import Job, Report, ShouldStop, Task

__all__ = ["Job", "Report", "ShouldStop", "Task"]
