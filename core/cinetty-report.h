/* cinetty-report.h - part of the public API; include "cinetty.h", not this. */
#ifndef CINETTY_REPORT_H
#define CINETTY_REPORT_H

#endif
