build/core/layout.o: core/layout.c core/cinetty.h core/cinetty-auth.h \
 core/cinetty-catalog.h core/cinetty-booking.h core/cinetty-report.h \
 core/cinetty-jobs.h
core/cinetty.h:
core/cinetty-auth.h:
core/cinetty-catalog.h:
core/cinetty-booking.h:
core/cinetty-report.h:
core/cinetty-jobs.h:
