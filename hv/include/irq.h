#ifndef HV_IRQ_H
#define HV_IRQ_H

void irq_init(void);
void irq_handle(unsigned irq);
void irq_unmask(unsigned irq);

#endif
