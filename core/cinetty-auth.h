/* cinetty-auth.h - part of the public API; include "cinetty.h", not this. */
#ifndef CINETTY_AUTH_H
#define CINETTY_AUTH_H

#endif
