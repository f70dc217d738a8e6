/** Exception causes (mcause/scause with the interrupt bit clear), privileged spec table 3.6. */
export const enum CAUSE {
  MISALIGNED_FETCH = 0,
  FETCH_ACCESS = 1,
  ILLEGAL_INSTRUCTION = 2,
  BREAKPOINT = 3,
  MISALIGNED_LOAD = 4,
  LOAD_ACCESS = 5,
  MISALIGNED_STORE = 6,
  STORE_ACCESS = 7,
  USER_ECALL = 8,
  SUPERVISOR_ECALL = 9,
  MACHINE_ECALL = 11,
  FETCH_PAGE_FAULT = 12,
  LOAD_PAGE_FAULT = 13,
  STORE_PAGE_FAULT = 15,
}

/** Privilege levels as encoded in mstatus.MPP. */
export const enum PRIV {
  U = 0,
  S = 1,
  M = 3,
}
