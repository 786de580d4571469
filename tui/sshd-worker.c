/*
 * sshd-worker.c - the job worker that cinettyd runs as a child when the
 * configuration says `worker = yes`, so a demo needs one process. The parent
 * restarts it if it dies and stops it with SIGTERM, which the worker loop
 * (core/jobs.c) takes as "finish the current job and stop".
 */
#include "sshd.h"

int
sshd_worker_run(const struct cnt_config *cfg)
{
	return cnt_worker_main(cfg);
}
