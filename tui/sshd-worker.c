/*
 * sshd-worker.c - the job worker that cinettyd runs as a child when the
 * configuration says `worker = yes`, so a demo needs one process. The parent
 * restarts it if it dies and stops it with SIGTERM.
 */
#include <unistd.h>

#include "sshd.h"

int
sshd_worker_run(const struct cnt_config *cfg)
{
	(void)cfg;
	log_warn("event=worker note=\"this build has no job worker yet\"");
	for (;;)
		pause();	/* until SIGTERM, so it is not restarted */
}
