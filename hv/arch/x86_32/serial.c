/* COM1 at 115200 8N1, polled. The one output device the hypervisor owns. */
#include "arch/cpu.h"
#include "arch/serial.h"

#define COM1 0x3F8
#define LSR_THRE 0x20
#define LSR_DR   0x01

void serial_init(void)
{
    outb(COM1 + 1, 0x00);   /* no interrupts */
    outb(COM1 + 3, 0x80);   /* DLAB */
    outb(COM1 + 0, 0x01);   /* divisor 1: 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);   /* 8N1 */
    outb(COM1 + 2, 0xC7);   /* FIFO on, cleared */
    outb(COM1 + 4, 0x03);   /* DTR, RTS */
}

void serial_putc(char c)
{
    unsigned spins = 0;

    /* Bounded wait: a wedged UART must not hang the hypervisor. */
    while (!(inb(COM1 + 5) & LSR_THRE) && ++spins < 100000)
        cpu_relax();
    outb(COM1, (uint8_t)c);
}

int serial_getc(void)
{
    if (!(inb(COM1 + 5) & LSR_DR))
        return -1;
    return inb(COM1);
}
