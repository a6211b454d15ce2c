//go:build amd64 && !purego

// AVX versions of the hottest SSE loops: eight floats per instruction
// instead of four. Used only when the CPU and OS support AVX (UseAVX).
// Multiplication and addition stay separate instructions in the same order
// as the Go loops, so the results are bit for bit the same as theirs and
// the SSE loops'. They use VEX-encoded (V…) instructions only, scalars
// included: a legacy SSE instruction (MOVSS, MULSS) while the upper halves
// of the Y registers are in use costs a state transition, which made each
// event of eventsAVX thirteen times slower on this project's AMD machine.

#include "textflag.h"

// func axpyAVX(a float32, x, y []float32)
// y += a·x over len(x)&^3 elements
TEXT ·axpyAVX(SB), NOSPLIT, $0-56
	VBROADCASTSS a+0(FP), Y6
	MOVQ         x_base+8(FP), SI
	MOVQ         x_len+16(FP), CX
	MOVQ         y_base+32(FP), DI
	MOVQ         CX, BX
	SHRQ         $4, CX
	JZ           avx_tail8

avx_loop:
	VMULPS  (SI), Y6, Y0
	VMULPS  32(SI), Y6, Y1
	VADDPS  (DI), Y0, Y0
	VADDPS  32(DI), Y1, Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	DECQ    CX
	JNZ     avx_loop

avx_tail8:
	TESTQ   $8, BX
	JZ      avx_tail4
	VMULPS  (SI), Y6, Y0
	VADDPS  (DI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI

avx_tail4:
	TESTQ   $4, BX
	JZ      avx_done
	VMULPS  (SI), X6, X0
	VADDPS  (DI), X0, X0
	VMOVUPS X0, (DI)

avx_done:
	VZEROUPPER
	RET

// func scaleAVX(out, x []float32, a float32)
// out = a·x over len(out)&^3 elements
TEXT ·scaleAVX(SB), NOSPLIT, $0-52
	MOVQ         out_base+0(FP), DI
	MOVQ         out_len+8(FP), CX
	MOVQ         x_base+24(FP), SI
	VBROADCASTSS a+48(FP), Y6
	MOVQ         CX, BX
	SHRQ         $4, CX
	JZ           sca_tail8

sca_loop:
	VMULPS  (SI), Y6, Y0
	VMULPS  32(SI), Y6, Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	DECQ    CX
	JNZ     sca_loop

sca_tail8:
	TESTQ   $8, BX
	JZ      sca_tail4
	VMULPS  (SI), Y6, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI

sca_tail4:
	TESTQ   $4, BX
	JZ      sca_done
	VMULPS  (SI), X6, X0
	VMOVUPS X0, (DI)

sca_done:
	VZEROUPPER
	RET

// func combineAVX(out, w []float32, stride int, ks []int32, cs []float32)
// out[j] = cs[0]·w[ks[0]·stride+j] + cs[1]·w[ks[1]·stride+j] + … (added in
// this order) for j < len(out), a multiple of 8; len(ks) = len(cs) ≥ 1.
// The sums stay in registers: one store per output instead of one per term.
TEXT ·combineAVX(SB), NOSPLIT, $0-104
	MOVQ out_base+0(FP), DI
	MOVQ out_len+8(FP), CX
	MOVQ w_base+24(FP), SI
	MOVQ stride+48(FP), R8
	SHLQ $2, R8
	MOVQ ks_base+56(FP), R9
	MOVQ ks_len+64(FP), R10
	MOVQ cs_base+80(FP), R11
	XORQ BX, BX
	SHRQ $3, CX
	JZ   cb_done

	// 64 outputs at a time while there are: each term's index and
	// coefficient are loaded once for eight registers of sums.
cb_wide:
	CMPQ         CX, $8
	JB           cb_narrow
	MOVLQSX      (R9), AX
	IMULQ        R8, AX
	ADDQ         SI, AX
	VBROADCASTSS (R11), Y8
	VMULPS       (AX)(BX*1), Y8, Y0
	VMULPS       32(AX)(BX*1), Y8, Y1
	VMULPS       64(AX)(BX*1), Y8, Y2
	VMULPS       96(AX)(BX*1), Y8, Y3
	VMULPS       128(AX)(BX*1), Y8, Y4
	VMULPS       160(AX)(BX*1), Y8, Y5
	VMULPS       192(AX)(BX*1), Y8, Y6
	VMULPS       224(AX)(BX*1), Y8, Y7
	MOVQ         $1, DX

cb_wide_term:
	CMPQ         DX, R10
	JAE          cb_wide_store
	MOVLQSX      (R9)(DX*4), AX
	IMULQ        R8, AX
	ADDQ         SI, AX
	VBROADCASTSS (R11)(DX*4), Y8
	VMULPS       (AX)(BX*1), Y8, Y9
	VADDPS       Y9, Y0, Y0
	VMULPS       32(AX)(BX*1), Y8, Y9
	VADDPS       Y9, Y1, Y1
	VMULPS       64(AX)(BX*1), Y8, Y9
	VADDPS       Y9, Y2, Y2
	VMULPS       96(AX)(BX*1), Y8, Y9
	VADDPS       Y9, Y3, Y3
	VMULPS       128(AX)(BX*1), Y8, Y9
	VADDPS       Y9, Y4, Y4
	VMULPS       160(AX)(BX*1), Y8, Y9
	VADDPS       Y9, Y5, Y5
	VMULPS       192(AX)(BX*1), Y8, Y9
	VADDPS       Y9, Y6, Y6
	VMULPS       224(AX)(BX*1), Y8, Y9
	VADDPS       Y9, Y7, Y7
	INCQ         DX
	JMP          cb_wide_term

cb_wide_store:
	VMOVUPS Y0, (DI)(BX*1)
	VMOVUPS Y1, 32(DI)(BX*1)
	VMOVUPS Y2, 64(DI)(BX*1)
	VMOVUPS Y3, 96(DI)(BX*1)
	VMOVUPS Y4, 128(DI)(BX*1)
	VMOVUPS Y5, 160(DI)(BX*1)
	VMOVUPS Y6, 192(DI)(BX*1)
	VMOVUPS Y7, 224(DI)(BX*1)
	ADDQ    $256, BX
	SUBQ    $8, CX
	JMP     cb_wide

cb_narrow:
	TESTQ CX, CX
	JZ    cb_done

cb_pair:
	CMPQ CX, $2
	JB   cb_single
	MOVLQSX      (R9), AX
	IMULQ        R8, AX
	ADDQ         SI, AX
	VBROADCASTSS (R11), Y4
	VMULPS       (AX)(BX*1), Y4, Y0
	VMULPS       32(AX)(BX*1), Y4, Y1
	MOVQ         $1, DX

cb_pair_term:
	CMPQ         DX, R10
	JAE          cb_pair_store
	MOVLQSX      (R9)(DX*4), AX
	IMULQ        R8, AX
	ADDQ         SI, AX
	VBROADCASTSS (R11)(DX*4), Y4
	VMULPS       (AX)(BX*1), Y4, Y2
	VMULPS       32(AX)(BX*1), Y4, Y3
	VADDPS       Y2, Y0, Y0
	VADDPS       Y3, Y1, Y1
	INCQ         DX
	JMP          cb_pair_term

cb_pair_store:
	VMOVUPS Y0, (DI)(BX*1)
	VMOVUPS Y1, 32(DI)(BX*1)
	ADDQ    $64, BX
	SUBQ    $2, CX
	JNZ     cb_pair
	JMP     cb_done

cb_single:
	MOVLQSX      (R9), AX
	IMULQ        R8, AX
	ADDQ         SI, AX
	VBROADCASTSS (R11), Y4
	VMULPS       (AX)(BX*1), Y4, Y0
	MOVQ         $1, DX

cb_single_term:
	CMPQ         DX, R10
	JAE          cb_single_store
	MOVLQSX      (R9)(DX*4), AX
	IMULQ        R8, AX
	ADDQ         SI, AX
	VBROADCASTSS (R11)(DX*4), Y4
	VMULPS       (AX)(BX*1), Y4, Y2
	VADDPS       Y2, Y0, Y0
	INCQ         DX
	JMP          cb_single_term

cb_single_store:
	VMOVUPS Y0, (DI)(BX*1)

cb_done:
	VZEROUPPER
	RET

DATA avxone<>+0(SB)/4, $0x3f800000
GLOBL avxone<>(SB), RODATA|NOPTR, $4
DATA avxabs<>+0(SB)/4, $0x7fffffff
GLOBL avxabs<>(SB), RODATA|NOPTR, $4

// The element-wise loops below take len(out), a multiple of 8, elements and
// mirror their SSE versions in sse_amd64.s operation for operation.

// func heavisideAVX(out, u []float32)
TEXT ·heavisideAVX(SB), NOSPLIT, $0-48
	MOVQ         out_base+0(FP), DI
	MOVQ         out_len+8(FP), CX
	MOVQ         u_base+24(FP), SI
	VBROADCASTSS avxone<>(SB), Y7
	SHRQ         $3, CX
	JZ           ahv_done

ahv_loop:
	VMOVUPS (SI), Y0
	VCMPPS  $2, Y0, Y7, Y1 // Y1 = 1 <= u (false for NaN)
	VANDPS  Y7, Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     ahv_loop

ahv_done:
	VZEROUPPER
	RET

// func membraneAVX(out, u, i, r []float32, beta float32)
// out = (beta·u + i)·(1 − r)
TEXT ·membraneAVX(SB), NOSPLIT, $0-100
	MOVQ         out_base+0(FP), DI
	MOVQ         out_len+8(FP), CX
	MOVQ         u_base+24(FP), SI
	MOVQ         i_base+48(FP), DX
	MOVQ         r_base+72(FP), R8
	VBROADCASTSS beta+96(FP), Y6
	VBROADCASTSS avxone<>(SB), Y7
	SHRQ         $3, CX
	JZ           amb_done

amb_loop:
	VMULPS  (SI), Y6, Y0
	VADDPS  (DX), Y0, Y0
	VSUBPS  (R8), Y7, Y2
	VMULPS  Y2, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, R8
	ADDQ    $32, DI
	DECQ    CX
	JNZ     amb_loop

amb_done:
	VZEROUPPER
	RET

// func lifGradIAVX(out, d, e, r []float32, beta float32)
// out = (1 − r)·d + beta·e
TEXT ·lifGradIAVX(SB), NOSPLIT, $0-100
	MOVQ         out_base+0(FP), DI
	MOVQ         out_len+8(FP), CX
	MOVQ         d_base+24(FP), SI
	MOVQ         e_base+48(FP), DX
	MOVQ         r_base+72(FP), R8
	VBROADCASTSS beta+96(FP), Y6
	VBROADCASTSS avxone<>(SB), Y7
	SHRQ         $3, CX
	JZ           agi_done

agi_loop:
	VSUBPS  (R8), Y7, Y0
	VMULPS  (SI), Y0, Y0
	VMULPS  (DX), Y6, Y3
	VADDPS  Y3, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, R8
	ADDQ    $32, DI
	DECQ    CX
	JNZ     agi_loop

agi_done:
	VZEROUPPER
	RET

// func lifGradUAVX(out, u, g, d, r []float32, num, b, beta float32)
// out = g·(num/(q·q)) + (beta·(1 − r))·d,  q = b·|u − 1| + 1
TEXT ·lifGradUAVX(SB), NOSPLIT, $0-132
	MOVQ         out_base+0(FP), DI
	MOVQ         out_len+8(FP), CX
	MOVQ         u_base+24(FP), SI
	MOVQ         g_base+48(FP), DX
	MOVQ         d_base+72(FP), R8
	MOVQ         r_base+96(FP), R9
	VBROADCASTSS num+120(FP), Y10
	VBROADCASTSS b+124(FP), Y11
	VBROADCASTSS beta+128(FP), Y12
	VBROADCASTSS avxone<>(SB), Y8
	VBROADCASTSS avxabs<>(SB), Y9
	SHRQ         $3, CX
	JZ           agu_done

agu_loop:
	VMOVUPS (SI), Y0
	VSUBPS  Y8, Y0, Y0
	VANDPS  Y9, Y0, Y0
	VMULPS  Y11, Y0, Y0
	VADDPS  Y8, Y0, Y0
	VMULPS  Y0, Y0, Y0
	VDIVPS  Y0, Y10, Y1
	VMULPS  (DX), Y1, Y1
	VSUBPS  (R9), Y8, Y3
	VMULPS  Y12, Y3, Y3
	VMULPS  (R8), Y3, Y3
	VADDPS  Y3, Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, R8
	ADDQ    $32, R9
	ADDQ    $32, DI
	DECQ    CX
	JNZ     agu_loop

agu_done:
	VZEROUPPER
	RET

// func heavisideIndexAVX(out, u []float32, idx []int32) int
// out = 1 where u ≥ 1, 0 elsewhere (NaN included), as heavisideAVX, over
// len(out), a multiple of 8; writes the positions of the ones to idx, in
// order, and returns their number. One pass instead of Heaviside's and
// then Nonzeros's over the spikes it wrote.
TEXT ·heavisideIndexAVX(SB), NOSPLIT, $0-80
	MOVQ         out_base+0(FP), DI
	MOVQ         out_len+8(FP), CX
	MOVQ         u_base+24(FP), SI
	MOVQ         idx_base+48(FP), R10
	VBROADCASTSS avxone<>(SB), Y7
	XORQ         R8, R8 // positions written
	XORQ         R9, R9 // position of the block
	SHRQ         $3, CX
	JZ           ahi_done

ahi_loop:
	VMOVUPS   (SI), Y0
	VCMPPS    $2, Y0, Y7, Y1 // Y1 = 1 <= u (false for NaN)
	VANDPS    Y7, Y1, Y2
	VMOVUPS   Y2, (DI)
	VMOVMSKPS Y1, AX
	TESTL     AX, AX
	JZ        ahi_next

ahi_bit:
	BSFL  AX, DX
	ADDL  R9, DX
	MOVL  DX, (R10)(R8*4)
	INCQ  R8
	LEAL  -1(AX), DX
	ANDL  DX, AX
	JNZ   ahi_bit

ahi_next:
	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $8, R9
	DECQ CX
	JNZ  ahi_loop

ahi_done:
	MOVQ R8, ret+72(FP)
	VZEROUPPER
	RET

// func maxAVX(m, x []float32)
// m = x where x > m (VMAXPS's rule: m where either is NaN or both are
// zeros), over len(m)&^7 elements.
TEXT ·maxAVX(SB), NOSPLIT, $0-48
	MOVQ m_base+0(FP), DI
	MOVQ m_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	SHRQ $3, CX
	JZ   max_done

max_loop:
	VMOVUPS (SI), Y1
	VMAXPS  (DI), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     max_loop

max_done:
	VZEROUPPER
	RET

// func argMaxAVX(m []float32, win []int32, x []float32, j int32)
// maxAVX that also sets win to j where m changed (or is NaN), over
// len(m)&^7 elements.
TEXT ·argMaxAVX(SB), NOSPLIT, $0-76
	MOVQ         m_base+0(FP), DI
	MOVQ         m_len+8(FP), CX
	MOVQ         win_base+24(FP), DX
	MOVQ         x_base+48(FP), SI
	VBROADCASTSS j+72(FP), Y5
	SHRQ         $3, CX
	JZ           argmax_done

argmax_loop:
	VMOVUPS   (DI), Y0
	VMOVUPS   (SI), Y1
	VMAXPS    Y0, Y1, Y2
	VCMPPS    $4, Y0, Y2, Y3 // NEQ_UQ: new ≠ old, or a NaN
	VMOVUPS   (DX), Y4
	VBLENDVPS Y3, Y5, Y4, Y4
	VMOVUPS   Y2, (DI)
	VMOVUPS   Y4, (DX)
	ADDQ      $32, SI
	ADDQ      $32, DI
	ADDQ      $32, DX
	DECQ      CX
	JNZ       argmax_loop

argmax_done:
	VZEROUPPER
	RET

// func pickAVX(out, g, idx []float32, j float32)
// out = g where idx == j, +0 elsewhere (NaN never equal), over
// len(out)&^7 elements.
TEXT ·pickAVX(SB), NOSPLIT, $0-76
	MOVQ         out_base+0(FP), DI
	MOVQ         out_len+8(FP), CX
	MOVQ         g_base+24(FP), SI
	MOVQ         idx_base+48(FP), DX
	VBROADCASTSS j+72(FP), Y5
	SHRQ         $3, CX
	JZ           pick_done

pick_loop:
	VCMPPS  $0, (DX), Y5, Y0 // EQ_OQ
	VANDPS  (SI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	ADDQ    $32, DX
	DECQ    CX
	JNZ     pick_loop

pick_done:
	VZEROUPPER
	RET
