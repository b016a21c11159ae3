/*
 * The legacy 8259 interrupt controllers, remapped to vectors 0x20..0x2F
 * so they cannot be mistaken for exceptions. Every line starts masked;
 * drivers unmask what they use.
 */
#include "arch/cpu.h"
#include "arch/timer.h"
#include "irq.h"
#include "time.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xA0
#define PIC2_DATA 0xA1
#define PIC_EOI   0x20

void irq_init(void)
{
    outb(PIC1_CMD, 0x11);
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, 0x20);
    outb(PIC2_DATA, 0x28);
    outb(PIC1_DATA, 0x04);
    outb(PIC2_DATA, 0x02);
    outb(PIC1_DATA, 0x01);
    outb(PIC2_DATA, 0x01);
    outb(PIC1_DATA, 0xFF);
    outb(PIC2_DATA, 0xFF);
}

void irq_unmask(unsigned irq)
{
    uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;

    outb(port, (uint8_t)(inb(port) & ~(1u << (irq % 8))));
    if (irq >= 8)
        outb(PIC1_DATA, (uint8_t)(inb(PIC1_DATA) & ~(1u << 2)));   /* the cascade */
}

void irq_handle(unsigned irq)
{
    if (irq == 0) {
        timer_tick_taken();
        time_tick();
    }
    if (irq >= 8)
        outb(PIC2_CMD, PIC_EOI);
    outb(PIC1_CMD, PIC_EOI);
}
