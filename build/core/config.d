build/core/config.o: core/config.c core/cinetty.h core/cinetty-auth.h \
 core/cinetty-catalog.h core/cinetty-booking.h core/cinetty-report.h \
 core/cinetty-jobs.h
core/cinetty.h:
core/cinetty-auth.h:
core/cinetty-catalog.h:
core/cinetty-booking.h:
core/cinetty-report.h:
core/cinetty-jobs.h:
