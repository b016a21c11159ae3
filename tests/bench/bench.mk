# The benchmark guest (runs as dom0), linked like the test guests.
BENCH_SRCS := $(wildcard tests/bench/guest/*.c)
BENCH_OBJS := $(patsubst %.c,$(BUILD)/guest/%.o,$(BENCH_SRCS))
BENCH_ELF  := $(BUILD)/bench.elf

$(BENCH_ELF): $(BENCH_OBJS) $(GUEST_RT_LIB) $(GUEST_LD)
	$(call link_guest,$@,$(BENCH_OBJS),0,0x100000,0)

-include $(BENCH_OBJS:.o=.d)
