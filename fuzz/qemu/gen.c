/*
 * Program packs and the in-guest program generator (see fq.h). No libc:
 * the hostile guest links this file, and so does the hosted tool that
 * regenerates a program for a finding, so both must compute the same
 * bytes from the same (seed, index).
 */
#include "fq.h"

static uint32_t get_le32(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

uint32_t fq_pack_open(struct fq_pack *p, const uint8_t *base, uint32_t len)
{
    uint32_t n, i, at = 8;

    p->base = base;
    p->len = len;
    p->count = 0;
    if (len < 8 || get_le32(base) != FQ_PACK_MAGIC)
        return 0;
    n = get_le32(base + 4);
    if (n > FQ_PACK_MAX)
        return 0;
    for (i = 0; i < n; i++) {
        uint32_t l;

        if (len - at < 4)
            return 0;
        l = get_le32(base + at);
        if (l > len - at - 4)
            return 0;
        p->off[i] = at;
        at += 4 + ((l + 3u) & ~3u);
        if (at > len)
            at = len;
    }
    p->count = n;
    return n;
}

uint32_t fq_pack_get(const struct fq_pack *p, uint32_t i, const uint8_t **bytes)
{
    if (!p || i >= p->count)
        return 0;
    *bytes = p->base + p->off[i] + 4;
    return get_le32(p->base + p->off[i]);
}

/* ---- the generator --------------------------------------------------------- */

/* splitmix64: every (seed, index) is an independent, reproducible stream. */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint32_t below(uint64_t *s, uint32_t n)
{
    return n ? (uint32_t)(next(s) % n) : 0;
}

static void put_le64(uint8_t *b, uint64_t v)
{
    unsigned i;

    for (i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

/*
 * Ops the hostile guest turns into hypercalls, weighted toward the page
 * table and event families where the hypervisor keeps the most state.
 * The decoder-only ops are left to mutations of corpus programs.
 */
static const uint8_t weighted_ops[] = {
    OP_MMU_NORMAL, OP_MMU_NORMAL, OP_MMU_NORMAL, OP_MMU_NORMAL, OP_MMU_NORMAL,
    OP_MMU_MACHPHYS, OP_MMU_PRESERVE_AD,
    OP_EXT_PIN_L1, OP_EXT_PIN_L1, OP_EXT_PIN_L2, OP_EXT_PIN_L2, OP_EXT_PIN_L3, OP_EXT_PIN_L3,
    OP_EXT_PIN_L4, OP_EXT_UNPIN, OP_EXT_UNPIN, OP_EXT_UNPIN, OP_EXT_NEW_BASEPTR,
    OP_EXT_NEW_BASEPTR, OP_EXT_TLB_FLUSH_LOCAL, OP_EXT_TLB_FLUSH_MULTI, OP_EXT_TLB_FLUSH_ALL,
    OP_EXT_INVLPG_LOCAL, OP_EXT_INVLPG_MULTI, OP_EXT_INVLPG_ALL, OP_EXT_SET_LDT,
    OP_EXT_SET_LDT, OP_EXT_RAW,
    OP_UVM, OP_UVM, OP_UVM, OP_UVM, OP_UVM_OTHER,
    OP_SET_GDT, OP_SET_GDT, OP_UPDATE_DESC, OP_UPDATE_DESC, OP_LDT_FAULT, OP_LDT_FAULT,
    OP_EVT_ALLOC_UNBOUND, OP_EVT_ALLOC_UNBOUND, OP_EVT_BIND_INTERDOMAIN,
    OP_EVT_BIND_INTERDOMAIN, OP_EVT_BIND_VIRQ, OP_EVT_BIND_IPI, OP_EVT_SEND, OP_EVT_SEND,
    OP_EVT_CLOSE, OP_EVT_CLOSE, OP_EVT_STATUS, OP_EVT_UNMASK, OP_EVT_BIND_VCPU, OP_EVT_RAW,
    OP_DESC_CHECK, OP_TRAP_CHECK, OP_CALLBACK, OP_DR_WRITE, OP_EMUL, OP_EMUL,
    OP_RAW_WRITE, OP_RAW_WRITE, OP_RAW_WRITE, OP_RAW_READ,
    OP_GNT_SETUP, OP_GNT_QUERY, OP_GNT_MAP, OP_GNT_UNMAP, OP_GNT_COPY, OP_GNT_COPY,
    OP_GNT_ENTRY, OP_GNT_ENTRY, OP_GNT_RAW,
};

/* Flag sets of real entries (bits 16..27 of a PTE handle): P, P|RW,
 * P|RW|US|A|D, P|A, P|US|A, P|RW|A|D, then the oddities (PSE, G, PCD). */
static const uint16_t pte_flags[] = {
    0x001, 0x003, 0x067, 0x021, 0x025, 0x063, 0x000, 0x0E7, 0x163, 0x013,
};

static uint64_t gen_value(uint64_t *s)
{
    uint64_t v = next(s);

    switch (below(s, 8)) {
    case 0:
        return v;                                   /* anything */
    case 1:
        return v & 0xFFFFFFFFull;
    default:
        /* a small handle index, real flags or a small slot/offset */
        v = below(s, 40);
        v |= (uint64_t)(below(s, 2) ? pte_flags[below(s, sizeof(pte_flags) / 2)]
                                    : below(s, 512)) << 16;
        if (below(s, 16) == 0)
            v |= (uint64_t)below(s, 4096) << 52;    /* NX or reserved high bits */
        return v;
    }
}

/*
 * emulate's blob (fuzz/exec_cpu.c, fuzz/qemu/hostile.c): instruction bytes
 * from the privileged instructions a ring-1 guest may execute, operands
 * random, so the hypervisor's decoder and emulator see mostly real ones.
 */
static const uint8_t emul_templates[][8] = {
    { 2, 0xE4 }, { 2, 0xE5 }, { 2, 0xE6 }, { 2, 0xE7 }, { 1, 0xEC }, { 1, 0xED },
    { 1, 0xEE }, { 1, 0xEF }, { 2, 0x66, 0xED }, { 1, 0xFA }, { 1, 0xFB },
    { 2, 0x0F, 0x06 }, { 2, 0x0F, 0x09 }, { 2, 0x0F, 0x31 }, { 2, 0x0F, 0xA2 },
    { 7, 0x0F, 0x0B, 0x78, 0x65, 0x6E, 0x0F, 0xA2 }, { 2, 0x0F, 0x30 }, { 2, 0x0F, 0x32 },
    { 3, 0x0F, 0x20, 0xC0 }, { 3, 0x0F, 0x22, 0xC0 }, { 3, 0x0F, 0x21, 0xC0 },
    { 3, 0x0F, 0x23, 0xC0 }, { 2, 0xCD, 0x20 }, { 2, 0xF3, 0x6C }, { 1, 0xCC },
};
static const uint32_t msrs[] = { 0x10, 0x1B, 0x1A0, 0xC0000080u, 0x40000000u, 0x174, 0xC0000082u };

static void gen_emul(uint64_t *s, uint8_t *r)
{
    const uint8_t *t = emul_templates[below(s, sizeof(emul_templates) / sizeof(emul_templates[0]))];
    uint8_t insn[16];
    uint64_t v = 0;
    unsigned i;

    for (i = 0; i < 16; i++)
        insn[i] = i < t[0] ? t[1 + i] : (uint8_t)next(s);
    if (t[0] == 2 && (t[1] == 0xE4 || t[1] == 0xE5 || t[1] == 0xE6 || t[1] == 0xE7 || t[1] == 0xCD))
        insn[1] = (uint8_t)next(s);                 /* port or vector */
    if (t[0] == 3)
        insn[2] = (uint8_t)(0xC0 | below(s, 64));   /* CR/DR and register */
    for (i = 0; i < 8; i++)
        v |= (uint64_t)insn[i] << (8 * i);
    put_le64(r + 5, v);
    v = 0;
    for (i = 0; i < 8; i++)
        v |= (uint64_t)insn[8 + i] << (8 * i);
    put_le64(r + 14, v);
    /* EAX, ECX (an MSR number half the time), EDX */
    v = below(s, 2) ? next(s) : ((uint64_t)msrs[below(s, sizeof(msrs) / 4)] << 32 | (uint32_t)next(s));
    put_le64(r + 23, v);
    put_le64(r + 32, next(s));
}

static void gen_record(uint64_t *s, uint8_t *r)
{
    unsigned i;

    r[0] = weighted_ops[below(s, sizeof(weighted_ops))];
    r[1] = (uint8_t)((below(s, 2) ? PROG_F_JOIN : 0) | (below(s, 16) == 0 ? PROG_F_DOM0 : 0));
    r[2] = below(s, 2) ? 0 : (uint8_t)next(s);
    r[3] = below(s, 4) ? 0 : (uint8_t)next(s);
    for (i = 0; i < PROG_NR_ARGS; i++) {
        uint8_t *a = r + 4 + 9 * i;

        /* three in four a handle (class = kind modulo the type's classes) */
        a[0] = below(s, 4) ? (uint8_t)below(s, 48) : (uint8_t)(PROG_KIND_RAW | below(s, 64));
        put_le64(a + 1, gen_value(s));
    }
    if (r[0] == OP_EMUL)
        gen_emul(s, r);
}

/* A corpus program with a few byte-, field- or record-level changes. */
static uint32_t mutate(uint64_t *s, const uint8_t *src, uint32_t len, uint8_t *out)
{
    uint32_t i, n, rounds = 1 + below(s, 6);

    if (len > PROG_MAX_BYTES)
        len = PROG_MAX_BYTES;
    for (i = 0; i < len; i++)
        out[i] = src[i];
    n = len / PROG_REC_SIZE;
    while (rounds--) {
        uint32_t rec = below(s, n ? n : 1) * PROG_REC_SIZE;

        switch (below(s, 6)) {
        case 0:
            if (len)
                out[below(s, len)] ^= (uint8_t)(1u << below(s, 8));
            break;
        case 1:
            if (len)
                out[below(s, len)] = (uint8_t)next(s);
            break;
        case 2:                                     /* a fresh argument value */
            if (rec + PROG_REC_SIZE <= len)
                put_le64(out + rec + 5 + 9 * below(s, PROG_NR_ARGS), gen_value(s));
            break;
        case 3:                                     /* a fresh record */
            if (rec + PROG_REC_SIZE <= len)
                gen_record(s, out + rec);
            break;
        case 4:                                     /* append a fresh record */
            if (len + PROG_REC_SIZE <= PROG_MAX_BYTES) {
                gen_record(s, out + len);
                len += PROG_REC_SIZE;
                n++;
            }
            break;
        default:                                    /* duplicate a record at the end */
            if (n && len + PROG_REC_SIZE <= PROG_MAX_BYTES) {
                for (i = 0; i < PROG_REC_SIZE; i++)
                    out[len + i] = out[rec + i];
                len += PROG_REC_SIZE;
                n++;
            }
            break;
        }
    }
    return len;
}

uint32_t fq_generate(uint64_t seed, uint32_t index, const struct fq_pack *corpus, uint8_t *out)
{
    uint64_t s = seed * 0x100000001B3ull ^ ((uint64_t)index << 20) ^ index;
    uint32_t nr, i;

    next(&s);
    if (corpus && corpus->count && below(&s, 4) == 0) {
        const uint8_t *src = 0;
        uint32_t len = fq_pack_get(corpus, below(&s, corpus->count), &src);

        return mutate(&s, src, len, out);
    }
    nr = 1 + below(&s, below(&s, 4) ? 8 : 24);
    for (i = 0; i < nr; i++)
        gen_record(&s, out + i * PROG_REC_SIZE);
    return nr * PROG_REC_SIZE;
}
