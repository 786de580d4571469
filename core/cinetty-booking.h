/* cinetty-booking.h - part of the public API; include "cinetty.h", not this. */
#ifndef CINETTY_BOOKING_H
#define CINETTY_BOOKING_H

#endif
