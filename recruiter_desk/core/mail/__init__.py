"""Mail and calendar files become touchpoints (docs/mail.md)."""
