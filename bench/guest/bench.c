/*
 * tabvm CPU benchmark: three deterministic kernels, one checksum line each.
 *
 * Freestanding C (no libc): the platform provides bench_write and bench_exit (sys_guest.c
 * for the RISC-V guest through ecall, sys_host.c for the native build that produces
 * expected.txt). Built with -ffp-contract=off on both sides so every double operation is a
 * single IEEE operation and the checksums agree bit for bit.
 *
 *   integer: sieve of Eratosthenes, table-driven CRC32, quicksort of pseudo-random words
 *   memory:  word copies and strided reads over a 4 MiB working set
 *   fp:      dense matrix multiply and n-body steps in double precision
 */
#include <stddef.h>
#include <stdint.h>

long bench_write(const char *buf, unsigned long len);
void bench_exit(int code) __attribute__((noreturn));
void bench_main(void);

/* Problem sizes, tuned for ~150 M guest instructions in total. */
#define SIEVE_LIMIT (1u << 20)
#define SIEVE_ROUNDS 1
#define CRC_BYTES (1u << 20)
#define CRC_ROUNDS 2
#define SORT_WORDS 100000u
#define MEM_BYTES (4u << 20)
#define MEM_WORDS (MEM_BYTES / sizeof(uint64_t))
#define MEM_COPY_ROUNDS 10
#define MEM_STRIDES 4
#define MATRIX_N 64
#define MATRIX_ROUNDS 8
#define NBODY_BODIES 5
#define NBODY_STEPS 40000

/* ---- freestanding helpers (the compiler may emit calls to memcpy/memset) ---- */

void *memcpy(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  while (n--) *d++ = *s++;
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  unsigned char *d = dst;
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

static void print(const char *s) {
  unsigned long n = 0;
  while (s[n]) n++;
  bench_write(s, n);
}

static void print_hex(uint64_t v) {
  char buf[19];
  buf[0] = '0';
  buf[1] = 'x';
  for (int i = 0; i < 16; i++) buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
  buf[18] = 0;
  print(buf);
}

static void print_line(const char *name, uint64_t checksum) {
  print(name);
  print(": ");
  print_hex(checksum);
  print("\n");
}

#ifdef BENCH_COUNT_INSTRET
static uint64_t instret(void) {
  uint64_t v;
  __asm__ volatile("rdinstret %0" : "=r"(v));
  return v;
}
static void print_count(const char *name, uint64_t n) {
  char buf[24];
  int i = 23;
  buf[i] = 0;
  do { buf[--i] = (char)('0' + n % 10); n /= 10; } while (n);
  print(name);
  print(" instret ");
  print(buf + i);
  print("\n");
}
#endif

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v;
  h *= 0x100000001b3ull; /* FNV-1a 64-bit prime */
  return h ^ (h >> 29);
}

static uint32_t xorshift32(uint32_t *state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

/* ---- integer kernel ---- */

static unsigned char sieve_flags[SIEVE_LIMIT];
static unsigned char crc_data[CRC_BYTES];
static uint32_t crc_table[256];
static uint32_t sort_words[SORT_WORDS];

static uint32_t sieve(void) {
  uint32_t count = 0;
  for (uint32_t i = 0; i < SIEVE_LIMIT; i++) sieve_flags[i] = 1;
  sieve_flags[0] = sieve_flags[1] = 0;
  for (uint32_t i = 2; i * i < SIEVE_LIMIT; i++)
    if (sieve_flags[i])
      for (uint32_t j = i * i; j < SIEVE_LIMIT; j += i) sieve_flags[j] = 0;
  for (uint32_t i = 0; i < SIEVE_LIMIT; i++) count += sieve_flags[i];
  return count;
}

static uint32_t crc32(const unsigned char *p, uint32_t n) {
  uint32_t c = 0xffffffffu;
  for (uint32_t i = 0; i < n; i++) c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

static void crc32_init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

static void quicksort(uint32_t *a, long lo, long hi) {
  while (lo < hi) {
    uint32_t pivot = a[lo + (hi - lo) / 2];
    long i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        uint32_t t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    /* Recurse into the smaller half so the stack stays logarithmic. */
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
}

static uint64_t integer_kernel(void) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (int r = 0; r < SIEVE_ROUNDS; r++) h = mix(h, sieve());
  uint32_t seed = 2463534242u;
  for (uint32_t i = 0; i < CRC_BYTES; i++) crc_data[i] = (unsigned char)xorshift32(&seed);
  crc32_init();
  for (int r = 0; r < CRC_ROUNDS; r++) {
    crc_data[r] ^= 0x5a;
    h = mix(h, crc32(crc_data, CRC_BYTES));
  }
  for (uint32_t i = 0; i < SORT_WORDS; i++) sort_words[i] = xorshift32(&seed);
  quicksort(sort_words, 0, SORT_WORDS - 1);
  for (uint32_t i = 1; i < SORT_WORDS; i++)
    if (sort_words[i - 1] > sort_words[i]) h = mix(h, 0xbad);
  for (uint32_t i = 0; i < SORT_WORDS; i += 997) h = mix(h, sort_words[i]);
  return h;
}

/* ---- memory kernel ---- */

static uint64_t mem_a[MEM_WORDS / 2];
static uint64_t mem_b[MEM_WORDS / 2];

static uint64_t memory_kernel(void) {
  const uint32_t half = MEM_WORDS / 2;
  uint64_t h = 0xcbf29ce484222325ull;
  for (uint32_t i = 0; i < half; i++) mem_a[i] = (uint64_t)i * 0x9e3779b97f4a7c15ull;
  for (int r = 0; r < MEM_COPY_ROUNDS; r++) {
    for (uint32_t i = 0; i < half; i++) mem_b[i] = mem_a[i] + (uint64_t)r;
    for (uint32_t i = 0; i < half; i++) mem_a[i] = mem_b[half - 1 - i] ^ (mem_a[i] >> 1);
  }
  /* Strided reads: 8, 64, 512 and 4096 bytes apart, touching every line and every page. */
  uint32_t stride_words = 1;
  for (int s = 0; s < MEM_STRIDES; s++) {
    uint64_t sum = 0;
    for (uint32_t start = 0; start < stride_words; start += (stride_words > 8 ? stride_words / 8 : 1))
      for (uint32_t i = start; i < half; i += stride_words) sum += mem_a[i] ^ mem_b[i];
    h = mix(h, sum);
    stride_words *= 8;
  }
  /* Byte-granular copy through the guest's own memcpy. */
  memcpy((unsigned char *)mem_b + 3, mem_a, MEM_BYTES / 8);
  for (uint32_t i = 0; i < MEM_BYTES / 64; i += 4099) h = mix(h, mem_b[i]);
  return h;
}

/* ---- floating-point kernel ---- */

static double mat_a[MATRIX_N][MATRIX_N];
static double mat_b[MATRIX_N][MATRIX_N];
static double mat_c[MATRIX_N][MATRIX_N];

static uint64_t bits(double d) {
  union { double d; uint64_t u; } v = { d };
  return v.u;
}

struct body { double x, y, z, vx, vy, vz, mass; };

static uint64_t fp_kernel(void) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (int i = 0; i < MATRIX_N; i++)
    for (int j = 0; j < MATRIX_N; j++) {
      mat_a[i][j] = (double)(i - j) / (double)(i + j + 1);
      mat_b[i][j] = (double)((i * 7 + j * 3) % 11) * 0.125 - 0.5;
    }
  for (int r = 0; r < MATRIX_ROUNDS; r++) {
    for (int i = 0; i < MATRIX_N; i++)
      for (int j = 0; j < MATRIX_N; j++) {
        double s = 0.0;
        for (int k = 0; k < MATRIX_N; k++) s += mat_a[i][k] * mat_b[k][j];
        mat_c[i][j] = s;
      }
    for (int i = 0; i < MATRIX_N; i++)
      for (int j = 0; j < MATRIX_N; j++) mat_a[i][j] = mat_c[i][j] * (1.0 / 64.0) + mat_a[i][j] * 0.5;
  }
  for (int i = 0; i < MATRIX_N; i++) h = mix(h, bits(mat_a[i][(i * 5) % MATRIX_N]));

  struct body b[NBODY_BODIES];
  for (int i = 0; i < NBODY_BODIES; i++) {
    b[i].x = (double)i;
    b[i].y = (double)(i * i) * 0.5 - 1.0;
    b[i].z = (double)(i % 3) - 1.0;
    b[i].vx = 0.01 * (double)(i + 1);
    b[i].vy = -0.02 * (double)i;
    b[i].vz = 0.005;
    b[i].mass = 1.0 + (double)i * 0.25;
  }
  const double dt = 0.001;
  for (int step = 0; step < NBODY_STEPS; step++) {
    for (int i = 0; i < NBODY_BODIES; i++)
      for (int j = i + 1; j < NBODY_BODIES; j++) {
        double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
        double d2 = dx * dx + dy * dy + dz * dz + 0.01;
        double mag = dt / (d2 * __builtin_sqrt(d2));
        b[i].vx -= dx * b[j].mass * mag;
        b[i].vy -= dy * b[j].mass * mag;
        b[i].vz -= dz * b[j].mass * mag;
        b[j].vx += dx * b[i].mass * mag;
        b[j].vy += dy * b[i].mass * mag;
        b[j].vz += dz * b[i].mass * mag;
      }
    for (int i = 0; i < NBODY_BODIES; i++) {
      b[i].x += dt * b[i].vx;
      b[i].y += dt * b[i].vy;
      b[i].z += dt * b[i].vz;
    }
  }
  for (int i = 0; i < NBODY_BODIES; i++) {
    h = mix(h, bits(b[i].x));
    h = mix(h, bits(b[i].vy));
  }
  return h;
}

void bench_main(void) {
  print("tabvm cpu bench\n");
#ifdef BENCH_COUNT_INSTRET
  uint64_t t0 = instret();
#endif
  print_line("integer", integer_kernel());
#ifdef BENCH_COUNT_INSTRET
  uint64_t t1 = instret();
  print_count("integer", t1 - t0);
#endif
  print_line("memory", memory_kernel());
#ifdef BENCH_COUNT_INSTRET
  uint64_t t2 = instret();
  print_count("memory", t2 - t1);
#endif
  print_line("fp", fp_kernel());
#ifdef BENCH_COUNT_INSTRET
  uint64_t t3 = instret();
  print_count("fp", t3 - t2);
  print_count("total", t3 - t0);
#endif
  bench_exit(0);
}
