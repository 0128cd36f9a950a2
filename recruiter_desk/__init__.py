"""Recruiter Desk: an offline-first desktop CRM for recruiters."""

__version__ = "0.1.0"
