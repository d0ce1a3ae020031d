// SPDX-License-Identifier: GPL-2.0
/*
 * finit_module FILE [PARAMS]: load a kernel module with one
 * finit_module() call and exit with its errno (0 on success).
 *
 * busybox's insmod retries a failed finit_module() with init_module(),
 * so a load that fails once (an injected failure) runs the module's init
 * twice and may succeed the second time: the fail-nth sweep of module
 * loads (selftests/guest/45-failnth-load.sh) needs exactly one attempt.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd, err = 0;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: finit_module FILE [PARAMS]\n");
		return EINVAL;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "finit_module: %s: %s\n", argv[1], strerror(errno));
		return errno;
	}
	if (syscall(SYS_finit_module, fd, argc == 3 ? argv[2] : "", 0)) {
		err = errno;
		fprintf(stderr, "finit_module: %s: %s\n", argv[1], strerror(err));
	}
	close(fd);
	return err;
}
