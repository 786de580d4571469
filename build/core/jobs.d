build/core/jobs.o: core/jobs.c core/internal.h \
 /usr/include/postgresql/libpq-fe.h \
 /usr/include/postgresql/postgres_ext.h \
 /usr/include/postgresql/pg_config_ext.h core/cinetty.h \
 core/cinetty-auth.h core/cinetty-catalog.h core/cinetty-booking.h \
 core/cinetty-report.h core/cinetty-jobs.h
core/internal.h:
/usr/include/postgresql/libpq-fe.h:
/usr/include/postgresql/postgres_ext.h:
/usr/include/postgresql/pg_config_ext.h:
core/cinetty.h:
core/cinetty-auth.h:
core/cinetty-catalog.h:
core/cinetty-booking.h:
core/cinetty-report.h:
core/cinetty-jobs.h:
