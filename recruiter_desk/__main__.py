from recruiter_desk.app import console

raise SystemExit(console())
