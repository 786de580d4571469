/*
 * sandbox.c - what an app served over SSH may not do: start a program.
 *
 * The app never runs another program (mail goes out from the worker), so
 * a seccomp filter makes execve and execveat fail with EPERM in the app's
 * process and everything it might fork: no bug in the app or in a library
 * can turn a session into a shell. Threads, files and sockets are
 * untouched. no_new_privs comes first, as the kernel requires for an
 * unprivileged filter (and setuid programs are then powerless anyway).
 */
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>

#include "tui.h"

#if defined(__x86_64__)
#define SANDBOX_ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SANDBOX_ARCH	AUDIT_ARCH_AARCH64
#endif

#define DENY	(SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))

int
tui_sandbox(const char **why)
{
#ifdef SANDBOX_ARCH
	static struct sock_filter filter[] = {
		/* Another ABI (i386 or x32 calls on x86_64): refused. */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SANDBOX_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, DENY),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
#ifdef __x86_64__
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 2, 0),
#else
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xffffffff, 2, 0),
#endif
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_execve, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_execveat, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, DENY),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	static const struct sock_fprog prog = {
		(unsigned short)(sizeof filter / sizeof filter[0]), filter
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		*why = strerror(errno);
		return -1;
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		*why = strerror(errno);
		return -1;
	}
	return 0;
#else
	*why = "no seccomp filter for this architecture";
	return -1;
#endif
}
