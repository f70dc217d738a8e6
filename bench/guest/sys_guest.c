/* The guest side of the benchmark's two system calls: ecall into start.S's M-mode handler. */
#define SYS_WRITE 64
#define SYS_EXIT 93

long bench_write(const char *buf, unsigned long len);
void bench_exit(int code) __attribute__((noreturn));

long bench_write(const char *buf, unsigned long len) {
  register long a0 __asm__("a0") = 1;
  register const char *a1 __asm__("a1") = buf;
  register unsigned long a2 __asm__("a2") = len;
  register long a7 __asm__("a7") = SYS_WRITE;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}

void bench_exit(int code) {
  register long a0 __asm__("a0") = code;
  register long a7 __asm__("a7") = SYS_EXIT;
  __asm__ volatile("ecall" : : "r"(a0), "r"(a7) : "memory");
  for (;;) {
  }
}
