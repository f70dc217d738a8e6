/* The native side of the benchmark's system calls: produces expected.txt on the host. */
#include <stdlib.h>
#include <unistd.h>

long bench_write(const char *buf, unsigned long len);
void bench_exit(int code) __attribute__((noreturn));
void bench_main(void);

long bench_write(const char *buf, unsigned long len) { return (long)write(1, buf, len); }

void bench_exit(int code) { exit(code); }

int main(void) {
  bench_main();
  return 1; /* bench_main ends with bench_exit */
}
