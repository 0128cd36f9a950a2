from recruiter_desk.app import main

raise SystemExit(main())
