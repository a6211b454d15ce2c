//go:build amd64 && !purego

// SSE loops, four floats per instruction. Each processes len(out)/4 blocks
// of four; the Go side (simd_amd64.go) passes slices of equal length, a
// multiple of 4, and the kernels do the tail. The operations and their
// order match the Go loops exactly, so the results are bit for bit the
// same (SSE has no fused multiply-add).

#include "textflag.h"

#define ONE $0x3f800000
#define ABS $0x7fffffff

// BCAST broadcasts a 32-bit constant into all four lanes of X.
#define BCAST(c, X) MOVQ c, AX; MOVQ AX, X; SHUFPS $0, X, X

// SURROGATE_ARGS loads the SuperSpike surrogate's constants: num and b
// (from the arguments) into X10 and X11, 1 into X8, the |·| mask into X9.
#define SURROGATE_ARGS(num, b) \
	MOVSS  num, X10 \
	SHUFPS $0, X10, X10 \
	MOVSS  b, X11 \
	SHUFPS $0, X11, X11 \
	BCAST(ONE, X8) \
	BCAST(ABS, X9)

// SUPERSPIKE writes num/(q·q), q = b·|u − 1| + 1, into X1 for the four u
// at (SI); it uses X0.
#define SUPERSPIKE \
	MOVUPS (SI), X0 \
	SUBPS  X8, X0 \
	ANDPS  X9, X0 \
	MULPS  X11, X0 \
	ADDPS  X8, X0 \
	MULPS  X0, X0 \
	MOVAPS X10, X1 \
	DIVPS  X0, X1

// func heavisideSSE(out, u []float32)
TEXT ·heavisideSSE(SB), NOSPLIT, $0-48
	MOVQ out_base+0(FP), DI
	MOVQ out_len+8(FP), CX
	MOVQ u_base+24(FP), SI
	BCAST(ONE, X7)
	SHRQ $2, CX
	JZ   hv_done

hv_loop:
	MOVUPS (SI), X0
	MOVAPS X7, X1
	CMPPS  X0, X1, $2 // X1 = 1 <= u (false for NaN)
	ANDPS  X7, X1
	MOVUPS X1, (DI)
	ADDQ   $16, SI
	ADDQ   $16, DI
	DECQ   CX
	JNZ    hv_loop

hv_done:
	RET

// func membraneSSE(out, u, i, r []float32, beta float32)
// out = (beta·u + i)·(1 − r)
TEXT ·membraneSSE(SB), NOSPLIT, $0-100
	MOVQ   out_base+0(FP), DI
	MOVQ   out_len+8(FP), CX
	MOVQ   u_base+24(FP), SI
	MOVQ   i_base+48(FP), DX
	MOVQ   r_base+72(FP), R8
	MOVSS  beta+96(FP), X6
	SHUFPS $0, X6, X6
	BCAST(ONE, X7)
	SHRQ   $2, CX
	JZ     mb_done

mb_loop:
	MOVUPS (SI), X0
	MULPS  X6, X0
	MOVUPS (DX), X1
	ADDPS  X1, X0
	MOVAPS X7, X2
	MOVUPS (R8), X3
	SUBPS  X3, X2
	MULPS  X2, X0
	MOVUPS X0, (DI)
	ADDQ   $16, SI
	ADDQ   $16, DX
	ADDQ   $16, R8
	ADDQ   $16, DI
	DECQ   CX
	JNZ    mb_loop

mb_done:
	RET

// func axpbySSE(out, u, i []float32, beta float32)
// out = beta·u + i
TEXT ·axpbySSE(SB), NOSPLIT, $0-76
	MOVQ   out_base+0(FP), DI
	MOVQ   out_len+8(FP), CX
	MOVQ   u_base+24(FP), SI
	MOVQ   i_base+48(FP), DX
	MOVSS  beta+72(FP), X6
	SHUFPS $0, X6, X6
	SHRQ   $2, CX
	JZ     ab_done

ab_loop:
	MOVUPS (SI), X0
	MULPS  X6, X0
	MOVUPS (DX), X1
	ADDPS  X1, X0
	MOVUPS X0, (DI)
	ADDQ   $16, SI
	ADDQ   $16, DX
	ADDQ   $16, DI
	DECQ   CX
	JNZ    ab_loop

ab_done:
	RET

// func scaleSSE(out, x []float32, a float32)
// out = a·x
TEXT ·scaleSSE(SB), NOSPLIT, $0-52
	MOVQ   out_base+0(FP), DI
	MOVQ   out_len+8(FP), CX
	MOVQ   x_base+24(FP), SI
	MOVSS  a+48(FP), X6
	SHUFPS $0, X6, X6
	SHRQ   $2, CX
	JZ     sc_done

sc_loop:
	MOVAPS X6, X0
	MOVUPS (SI), X1
	MULPS  X1, X0
	MOVUPS X0, (DI)
	ADDQ   $16, SI
	ADDQ   $16, DI
	DECQ   CX
	JNZ    sc_loop

sc_done:
	RET

// func maskScaleSSE(out, g, r []float32, a float32)
// out = (a·g)·(1 − r)
TEXT ·maskScaleSSE(SB), NOSPLIT, $0-76
	MOVQ   out_base+0(FP), DI
	MOVQ   out_len+8(FP), CX
	MOVQ   g_base+24(FP), SI
	MOVQ   r_base+48(FP), DX
	MOVSS  a+72(FP), X6
	SHUFPS $0, X6, X6
	BCAST(ONE, X7)
	SHRQ   $2, CX
	JZ     ms_done

ms_loop:
	MOVAPS X6, X0
	MOVUPS (SI), X1
	MULPS  X1, X0
	MOVAPS X7, X2
	MOVUPS (DX), X3
	SUBPS  X3, X2
	MULPS  X2, X0
	MOVUPS X0, (DI)
	ADDQ   $16, SI
	ADDQ   $16, DX
	ADDQ   $16, DI
	DECQ   CX
	JNZ    ms_loop

ms_done:
	RET

// func lifGradISSE(out, d, e, r []float32, beta float32)
// out = (1 − r)·d + beta·e
TEXT ·lifGradISSE(SB), NOSPLIT, $0-100
	MOVQ   out_base+0(FP), DI
	MOVQ   out_len+8(FP), CX
	MOVQ   d_base+24(FP), SI
	MOVQ   e_base+48(FP), DX
	MOVQ   r_base+72(FP), R8
	MOVSS  beta+96(FP), X6
	SHUFPS $0, X6, X6
	BCAST(ONE, X7)
	SHRQ   $2, CX
	JZ     gi_done

gi_loop:
	MOVAPS X7, X0
	MOVUPS (R8), X1
	SUBPS  X1, X0
	MOVUPS (SI), X2
	MULPS  X2, X0
	MOVAPS X6, X3
	MOVUPS (DX), X4
	MULPS  X4, X3
	ADDPS  X3, X0
	MOVUPS X0, (DI)
	ADDQ   $16, SI
	ADDQ   $16, DX
	ADDQ   $16, R8
	ADDQ   $16, DI
	DECQ   CX
	JNZ    gi_loop

gi_done:
	RET

// func lifGradUSSE(out, u, g, d, r []float32, num, b, beta float32)
// out = g·(num/(q·q)) + (beta·(1 − r))·d,  q = b·|u − 1| + 1
TEXT ·lifGradUSSE(SB), NOSPLIT, $0-132
	MOVQ   out_base+0(FP), DI
	MOVQ   out_len+8(FP), CX
	MOVQ   u_base+24(FP), SI
	MOVQ   g_base+48(FP), DX
	MOVQ   d_base+72(FP), R8
	MOVQ   r_base+96(FP), R9
	SURROGATE_ARGS(num+120(FP), b+124(FP))
	MOVSS  beta+128(FP), X12
	SHUFPS $0, X12, X12
	SHRQ   $2, CX
	JZ     gu_done

gu_loop:
	SUPERSPIKE
	MOVUPS (DX), X2
	MULPS  X2, X1
	MOVAPS X8, X3
	MOVUPS (R9), X4
	SUBPS  X4, X3
	MULPS  X12, X3
	MOVUPS (R8), X5
	MULPS  X5, X3
	ADDPS  X3, X1
	MOVUPS X1, (DI)
	ADDQ   $16, SI
	ADDQ   $16, DX
	ADDQ   $16, R8
	ADDQ   $16, R9
	ADDQ   $16, DI
	DECQ   CX
	JNZ    gu_loop

gu_done:
	RET

// func surrogateSSE(out, u, g []float32, num, b float32)
// out = g·(num/(q·q)),  q = b·|u − 1| + 1
TEXT ·surrogateSSE(SB), NOSPLIT, $0-80
	MOVQ   out_base+0(FP), DI
	MOVQ   out_len+8(FP), CX
	MOVQ   u_base+24(FP), SI
	MOVQ   g_base+48(FP), DX
	SURROGATE_ARGS(num+72(FP), b+76(FP))
	SHRQ   $2, CX
	JZ     sg_done

sg_loop:
	SUPERSPIKE
	MOVUPS (DX), X2
	MULPS  X2, X1
	MOVUPS X1, (DI)
	ADDQ   $16, SI
	ADDQ   $16, DX
	ADDQ   $16, DI
	DECQ   CX
	JNZ    sg_loop

sg_done:
	RET

// func axpySSE(a float32, x, y []float32)
// y += a·x for len(x)&^3 elements
TEXT ·axpySSE(SB), NOSPLIT, $0-56
	MOVSS  a+0(FP), X6
	SHUFPS $0, X6, X6
	MOVQ   x_base+8(FP), SI
	MOVQ   x_len+16(FP), CX
	MOVQ   y_base+32(FP), DI
	MOVQ   CX, BX
	SHRQ   $3, CX
	JZ     ax_tail4

ax_loop:
	MOVUPS (SI), X0
	MOVUPS 16(SI), X1
	MULPS  X6, X0
	MULPS  X6, X1
	MOVUPS (DI), X2
	MOVUPS 16(DI), X3
	ADDPS  X2, X0
	ADDPS  X3, X1
	MOVUPS X0, (DI)
	MOVUPS X1, 16(DI)
	ADDQ   $32, SI
	ADDQ   $32, DI
	DECQ   CX
	JNZ    ax_loop

ax_tail4:
	ANDQ   $4, BX
	JZ     ax_done
	MOVUPS (SI), X0
	MULPS  X6, X0
	MOVUPS (DI), X2
	ADDPS  X2, X0
	MOVUPS X0, (DI)

ax_done:
	RET

// func nonzerosSSE(x []float32, idx []int32) int
// writes the indices of the non-zero (or NaN) elements of x[:len(x)&^15]
// to idx and returns their number
TEXT ·nonzerosSSE(SB), NOSPLIT, $0-56
	MOVQ  x_base+0(FP), SI
	MOVQ  x_len+8(FP), CX
	MOVQ  idx_base+24(FP), DI
	XORQ  R8, R8
	XORQ  R9, R9
	XORPS X15, X15
	SHRQ  $4, CX
	JZ    nz_done

nz_loop:
	MOVUPS   (SI), X0
	MOVUPS   16(SI), X1
	MOVUPS   32(SI), X2
	MOVUPS   48(SI), X3
	CMPPS    X15, X0, $4 // x != 0
	CMPPS    X15, X1, $4
	CMPPS    X15, X2, $4
	CMPPS    X15, X3, $4
	MOVAPS   X0, X4
	ORPS     X1, X4
	ORPS     X2, X4
	ORPS     X3, X4
	MOVMSKPS X4, AX
	TESTL    AX, AX
	JZ       nz_next

	MOVMSKPS X0, AX
	MOVQ     R9, R10

nz_b0:
	TESTL AX, AX
	JZ    nz_b0_done
	BSFL  AX, DX
	LEAQ  (R10)(DX*1), R11
	MOVL  R11, (DI)(R8*4)
	INCQ  R8
	LEAL  -1(AX), DX
	ANDL  DX, AX
	JMP   nz_b0

nz_b0_done:
	MOVMSKPS X1, AX
	LEAQ     4(R9), R10

nz_b1:
	TESTL AX, AX
	JZ    nz_b1_done
	BSFL  AX, DX
	LEAQ  (R10)(DX*1), R11
	MOVL  R11, (DI)(R8*4)
	INCQ  R8
	LEAL  -1(AX), DX
	ANDL  DX, AX
	JMP   nz_b1

nz_b1_done:
	MOVMSKPS X2, AX
	LEAQ     8(R9), R10

nz_b2:
	TESTL AX, AX
	JZ    nz_b2_done
	BSFL  AX, DX
	LEAQ  (R10)(DX*1), R11
	MOVL  R11, (DI)(R8*4)
	INCQ  R8
	LEAL  -1(AX), DX
	ANDL  DX, AX
	JMP   nz_b2

nz_b2_done:
	MOVMSKPS X3, AX
	LEAQ     12(R9), R10

nz_b3:
	TESTL AX, AX
	JZ    nz_next
	BSFL  AX, DX
	LEAQ  (R10)(DX*1), R11
	MOVL  R11, (DI)(R8*4)
	INCQ  R8
	LEAL  -1(AX), DX
	ANDL  DX, AX
	JMP   nz_b3

nz_next:
	ADDQ $64, SI
	ADDQ $16, R9
	DECQ CX
	JNZ  nz_loop

nz_done:
	MOVQ R8, ret+48(FP)
	RET
