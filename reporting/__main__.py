from reporting.build import main

raise SystemExit(main())
