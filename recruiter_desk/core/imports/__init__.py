"""Importing contacts from every file a recruiter has: nothing lost, nothing doubled."""
