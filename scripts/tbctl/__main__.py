from tbctl.cli import main

raise SystemExit(main())
