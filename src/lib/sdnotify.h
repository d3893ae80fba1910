/* systemd's readiness protocol (sd_notify(3)): one datagram, "READY=1" or
 * "STOPPING=1", to the socket named by $NOTIFY_SOCKET (a path, or an
 * abstract name beginning with '@'). Without that variable nothing is
 * sent. Written here rather than linked from libsystemd: the protocol is
 * one sendto(2) that systemd documents as stable for others to speak, and
 * libsystemd-dev pins libsystemd0 to its own version, which would upgrade
 * the machine's systemd to build entente (docs/ARCHITECTURE.md). */
#ifndef ENTENTE_LIB_SDNOTIFY_H
#define ENTENTE_LIB_SDNOTIFY_H

/* 1 sent, 0 nobody to tell, -1 the socket refused (errno). */
int sd_tell(const char *state);

#endif
