#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#define FPU_AREA_SIZE 512

void fpu_init(void);
/* A 16-byte aligned area of FPU_AREA_SIZE in the clean initial state. */
void fpu_init_area(void *area);
/* Save the live state into save_to (if any), load load_from. */
void fpu_switch(void *save_to, const void *load_from);

#endif
