"""Evaluations run by ``khabar eval``: one scorer per task."""
