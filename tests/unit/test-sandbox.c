/*
 * test-sandbox.c - the exec filter of apps served over SSH: after
 * tui_sandbox a process cannot start a program (execve, execveat, nor
 * through a forked child or a shell), yet it can still fork, make threads
 * and open files; without it the same exec works (so the test can fail).
 */
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "tui.h"

enum { T_EXECVE, T_EXECVEAT, T_SYSTEM, T_FORK_EXEC };

static void *
thread_main(void *arg)
{
	return arg;
}

/* In a fresh child: sandbox (if SANDBOX), then try HOW. Exit status: 0 the
 * exec was refused with EPERM and the rest still worked, 1 the program ran
 * (/bin/false exits 1), 2 the sandbox failed, 3 something else broke. */
static int
attempt(bool sandbox, int how)
{
	const char *why;
	char	   *const argv[] = { "false", NULL };
	pid_t	    pid, kid;
	pthread_t   th;
	int	    status, fd;

	if ((pid = fork()) == 0) {
		if (sandbox && tui_sandbox(&why) != 0) {
			fprintf(stderr, "tui_sandbox: %s\n", why);
			_exit(2);
		}
		switch (how) {
		case T_EXECVE:
			execv("/bin/false", argv);
			_exit(errno == EPERM ? 0 : 3);
		case T_EXECVEAT:
			syscall(SYS_execveat, AT_FDCWD, "/bin/false", argv,
			    (char *const[]){ NULL }, 0);
			_exit(errno == EPERM ? 0 : 3);
		case T_SYSTEM:
			/* system() forks, and its child's exec of sh fails */
			status = system("exit 7");
			_exit(WIFEXITED(status) && WEXITSTATUS(status) == 7 ?
			    1 : 0);
		case T_FORK_EXEC:
			if ((kid = fork()) == 0) {
				execv("/bin/false", argv);
				_exit(errno == EPERM ? 42 : 43);
			}
			if (kid == -1 || waitpid(kid, &status, 0) != kid)
				_exit(3);
			if (pthread_create(&th, NULL, thread_main, NULL) != 0 ||
			    pthread_join(th, NULL) != 0)
				_exit(3);
			if ((fd = open("/dev/null", O_RDONLY)) == -1)
				_exit(3);
			close(fd);
			_exit(!WIFEXITED(status) ? 3 :
			    WEXITSTATUS(status) == 42 ? 0 : 1);
		}
		_exit(3);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* Under valgrind the child's syscalls are valgrind's (it runs exec
 * itself), so the filter cannot be judged there. */
static bool
under_valgrind(void)
{
	if (getenv("CINETTY_TEST_VALGRIND") == NULL)
		return false;
	print_message("  skipped under valgrind: it makes the syscalls\n");
	return true;
}

static void
test_exec_refused_in_sandbox(void **state)
{
	(void)state;
	if (under_valgrind())
		return;
	assert_int_equal(attempt(true, T_EXECVE), 0);
	assert_int_equal(attempt(true, T_EXECVEAT), 0);
	assert_int_equal(attempt(true, T_SYSTEM), 0);
	/* fork, threads and files still work; the forked child's exec is
	 * refused as well */
	assert_int_equal(attempt(true, T_FORK_EXEC), 0);
}

static void
test_exec_works_without_sandbox(void **state)
{
	(void)state;
	if (under_valgrind())
		return;
	assert_int_equal(attempt(false, T_EXECVE), 1);
	assert_int_equal(attempt(false, T_EXECVEAT), 1);
	assert_int_equal(attempt(false, T_SYSTEM), 1);
	assert_int_equal(attempt(false, T_FORK_EXEC), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_refused_in_sandbox),
		cmocka_unit_test(test_exec_works_without_sandbox),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
