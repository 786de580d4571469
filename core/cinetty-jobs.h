/* cinetty-jobs.h - part of the public API; include "cinetty.h", not this. */
#ifndef CINETTY_JOBS_H
#define CINETTY_JOBS_H

#endif
