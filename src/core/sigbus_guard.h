/* Reads of a memory-mapped file raise SIGBUS when another program truncates
 * the file meanwhile: the pages past the new end no longer exist. The model
 * readers (ONNX, GGUF) map the file, so `ecometer flops` runs its work under
 * this guard and reports the file as changed while reading instead of dying.
 * One guard per thread at a time; SIGBUS outside a guard keeps its default
 * action (a real bus error still kills the process). */
#ifndef ECO_CORE_SIGBUS_GUARD_H
#define ECO_CORE_SIGBUS_GUARD_H

/* Run fn(arg); returns its result, or -1 with *caught = 1 when a SIGBUS
 * ended it (the work is abandoned where it was: only for code whose caller
 * then exits). */
int eco_sigbus_guard(int (*fn)(void *), void *arg, int *caught);

#endif
