build/tests/unit/test-config: tests/unit/test-config.c tests/testlib.h \
 core/cinetty.h core/cinetty-auth.h core/cinetty-catalog.h \
 core/cinetty-booking.h core/cinetty-report.h core/cinetty-jobs.h
tests/testlib.h:
core/cinetty.h:
core/cinetty-auth.h:
core/cinetty-catalog.h:
core/cinetty-booking.h:
core/cinetty-report.h:
core/cinetty-jobs.h:
