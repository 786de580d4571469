build/tui/cli-migrate.o: tui/cli-migrate.c tui/cli.h core/cinetty.h \
 core/cinetty-auth.h core/cinetty-catalog.h core/cinetty-booking.h \
 core/cinetty-report.h core/cinetty-jobs.h
tui/cli.h:
core/cinetty.h:
core/cinetty-auth.h:
core/cinetty-catalog.h:
core/cinetty-booking.h:
core/cinetty-report.h:
core/cinetty-jobs.h:
