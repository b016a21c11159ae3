#ifndef SECRET_H
#define SECRET_H
#define SECRET_MARKER 0x5EC2E7AAu
#endif
