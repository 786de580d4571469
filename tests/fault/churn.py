# churn.py PORT N [SECONDS [CLIENTS]] - N short connections to cinettyd from
# CLIENTS processes in parallel (4 unless given): connect, read the SSH
# banner, close. Stops early after SECONDS. Prints "banners_read failures
# milliseconds".
# (Used by fault-daemon.sh; not a test by itself.)
import os
import socket
import sys
import time

port, n = int(sys.argv[1]), int(sys.argv[2])
limit = float(sys.argv[3]) if len(sys.argv) > 3 else 1e9
clients = int(sys.argv[4]) if len(sys.argv) > 4 else 4
t0 = time.time()
rd, wr = os.pipe()
kids = []
for k in range(clients):
    pid = os.fork()
    if pid == 0:
        os.close(rd)
        ok = bad = 0
        for i in range(n // clients + (1 if k < n % clients else 0)):
            if time.time() - t0 > limit:
                break
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=10)
                if s.recv(64).startswith(b"SSH-2.0-"):
                    ok += 1
                else:
                    bad += 1
                s.close()
            except OSError:
                bad += 1
        os.write(wr, b"%d %d\n" % (ok, bad))
        os._exit(0)
    kids.append(pid)
os.close(wr)
for pid in kids:
    os.waitpid(pid, 0)
ok = bad = 0
with os.fdopen(rd) as f:
    for line in f.read().split("\n"):
        if line:
            a, b = line.split()
            ok += int(a)
            bad += int(b)
print(ok, bad, int((time.time() - t0) * 1000))
