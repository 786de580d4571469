/* cinetty-catalog.h - part of the public API; include "cinetty.h", not this. */
#ifndef CINETTY_CATALOG_H
#define CINETTY_CATALOG_H

#endif
