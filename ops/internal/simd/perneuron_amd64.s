//go:build amd64 && !purego

// The AVX loops of perneuron.go, as avx_amd64.s's: VEX instructions only,
// each product rounded before its sum (no fused multiply-add), and the
// operands of each operation in the order of the Go loop's expression
// (its left operand as the instruction's first source). Every block's
// operands are loaded before its result is stored, so out may be any of
// them.
//
// Each runs over its data, eight elements at a time, in rows of the
// parameters' length (dst's for the loops that add to dst), a multiple of
// 8: BX indexes the data, R12 the parameters (or dst), and goes back to 0
// at the end of each row. CX counts the blocks left.

#include "textflag.h"

DATA pnone<>+0(SB)/4, $0x3f800000
GLOBL pnone<>(SB), RODATA|NOPTR, $4
DATA pnabs<>+0(SB)/4, $0x7fffffff
GLOBL pnabs<>(SB), RODATA|NOPTR, $4
DATA pnsign<>+0(SB)/4, $0x80000000
GLOBL pnsign<>(SB), RODATA|NOPTR, $4

// START sets CX to the number of blocks of eight in n elements and BX and
// R12 to 0, and jumps to done when there are no blocks.
#define START(n, done) \
	MOVQ n, CX \
	XORQ BX, BX \
	XORQ R12, R12 \
	SHRQ $3, CX \
	JZ   done

// NEXT moves to the next block, R12 back to 0 at the end of a row of cols
// elements, and jumps to loop while there is a block left. It uses AX.
#define NEXT(cols, loop) \
	ADDQ    $8, BX \
	ADDQ    $8, R12 \
	MOVQ    R12, AX \
	SUBQ    cols, AX \
	CMOVQCC AX, R12 \
	DECQ    CX \
	JNZ     loop

// func addProductAVX(dst, p, x []float32)
// dst[j mod cols] = dst[j mod cols] + p[j]·x[j], cols = len(dst)
TEXT ·addProductAVX(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ p_base+24(FP), SI
	MOVQ x_base+48(FP), DX
	START(p_len+32(FP), apr_done)

apr_loop:
	VMOVUPS (SI)(BX*4), Y0
	VMULPS  (DX)(BX*4), Y0, Y0 // p·x
	VMOVUPS (DI)(R12*4), Y1
	VADDPS  Y0, Y1, Y1
	VMOVUPS Y1, (DI)(R12*4)
	NEXT(dst_len+8(FP), apr_loop)

apr_done:
	VZEROUPPER
	RET

// func subAVX(dst, x, y []float32)
// dst = x − y
TEXT ·subAVX(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ y_base+48(FP), DX
	START(dst_len+8(FP), sub_done)

sub_loop:
	VMOVUPS (SI)(BX*4), Y0
	VSUBPS  (DX)(BX*4), Y0, Y0
	VMOVUPS Y0, (DI)(BX*4)
	ADDQ    $8, BX
	DECQ    CX
	JNZ     sub_loop

sub_done:
	VZEROUPPER
	RET

// func mulAVX(dst, p, x []float32)
// dst = p·x
TEXT ·mulAVX(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ p_base+24(FP), SI
	MOVQ x_base+48(FP), DX
	START(dst_len+8(FP), mul_done)

mul_loop:
	VMOVUPS (SI)(R12*4), Y0
	VMULPS  (DX)(BX*4), Y0, Y0
	VMOVUPS Y0, (DI)(BX*4)
	NEXT(p_len+32(FP), mul_loop)

mul_done:
	VZEROUPPER
	RET

// func complementMulAVX(dst, p, x []float32)
// dst = (1 − p)·x
TEXT ·complementMulAVX(SB), NOSPLIT, $0-72
	MOVQ         dst_base+0(FP), DI
	MOVQ         p_base+24(FP), SI
	MOVQ         x_base+48(FP), DX
	VBROADCASTSS pnone<>(SB), Y7
	START(dst_len+8(FP), cmu_done)

cmu_loop:
	VSUBPS  (SI)(R12*4), Y7, Y0 // 1 − p
	VMULPS  (DX)(BX*4), Y0, Y0
	VMOVUPS Y0, (DI)(BX*4)
	NEXT(p_len+32(FP), cmu_loop)

cmu_done:
	VZEROUPPER
	RET

// func negMulAVX(dst, p, x []float32)
// dst = (−p)·x
TEXT ·negMulAVX(SB), NOSPLIT, $0-72
	MOVQ         dst_base+0(FP), DI
	MOVQ         p_base+24(FP), SI
	MOVQ         x_base+48(FP), DX
	VBROADCASTSS pnsign<>(SB), Y6
	START(dst_len+8(FP), nmu_done)

nmu_loop:
	VXORPS  (SI)(R12*4), Y6, Y0 // −p, as Go negates: the sign bit flipped
	VMULPS  (DX)(BX*4), Y0, Y0
	VMOVUPS Y0, (DI)(BX*4)
	NEXT(p_len+32(FP), nmu_loop)

nmu_done:
	VZEROUPPER
	RET

// func adaptAVX(out, rho, a, b, w, u, s []float32)
// out = ((0 + ρ·w) + a·u) + b·s
TEXT ·adaptAVX(SB), NOSPLIT, $0-168
	MOVQ   out_base+0(FP), DI
	MOVQ   rho_base+24(FP), SI
	MOVQ   a_base+48(FP), DX
	MOVQ   b_base+72(FP), R8
	MOVQ   w_base+96(FP), R9
	MOVQ   u_base+120(FP), R10
	MOVQ   s_base+144(FP), R11
	VXORPS Y7, Y7, Y7 // +0
	START(out_len+8(FP), adp_done)

adp_loop:
	VMOVUPS (SI)(R12*4), Y0
	VMULPS  (R9)(BX*4), Y0, Y0 // ρ·w
	VADDPS  Y0, Y7, Y0         // 0 + ρ·w: −0 becomes +0
	VMOVUPS (DX)(R12*4), Y1
	VMULPS  (R10)(BX*4), Y1, Y1 // a·u
	VADDPS  Y1, Y0, Y0
	VMOVUPS (R8)(R12*4), Y1
	VMULPS  (R11)(BX*4), Y1, Y1 // b·s
	VADDPS  Y1, Y0, Y0
	VMOVUPS Y0, (DI)(BX*4)
	NEXT(rho_len+32(FP), adp_loop)

adp_done:
	VZEROUPPER
	RET

// func adaptiveMembraneAVX(out, alpha, u, r, x, w []float32)
// out = α·(u − r) + (1 − α)·(x − w)
TEXT ·adaptiveMembraneAVX(SB), NOSPLIT, $0-144
	MOVQ         out_base+0(FP), DI
	MOVQ         alpha_base+24(FP), SI
	MOVQ         u_base+48(FP), DX
	MOVQ         r_base+72(FP), R8
	MOVQ         x_base+96(FP), R9
	MOVQ         w_base+120(FP), R10
	VBROADCASTSS pnone<>(SB), Y7
	START(out_len+8(FP), amm_done)

amm_loop:
	VMOVUPS (DX)(BX*4), Y0
	VSUBPS  (R8)(BX*4), Y0, Y0 // u − r
	VMOVUPS (R9)(BX*4), Y1
	VSUBPS  (R10)(BX*4), Y1, Y1 // x − w
	VMOVUPS (SI)(R12*4), Y2
	VMULPS  Y0, Y2, Y0          // α·(u − r)
	VSUBPS  Y2, Y7, Y2          // 1 − α
	VMULPS  Y1, Y2, Y1          // (1 − α)·(x − w)
	VADDPS  Y1, Y0, Y0
	VMOVUPS Y0, (DI)(BX*4)
	NEXT(alpha_len+32(FP), amm_loop)

amm_done:
	VZEROUPPER
	RET

// func adaptationGradAVX(out, alpha, rho, g, e []float32)
// out = (−(1 − α))·g + ρ·e
TEXT ·adaptationGradAVX(SB), NOSPLIT, $0-120
	MOVQ         out_base+0(FP), DI
	MOVQ         alpha_base+24(FP), SI
	MOVQ         rho_base+48(FP), DX
	MOVQ         g_base+72(FP), R8
	MOVQ         e_base+96(FP), R9
	VBROADCASTSS pnone<>(SB), Y7
	VBROADCASTSS pnsign<>(SB), Y6
	START(out_len+8(FP), adg_done)

adg_loop:
	VSUBPS  (SI)(R12*4), Y7, Y0 // 1 − α
	VXORPS  Y6, Y0, Y0          // −(1 − α)
	VMULPS  (R8)(BX*4), Y0, Y0  // ·g
	VMOVUPS (DX)(R12*4), Y1
	VMULPS  (R9)(BX*4), Y1, Y1  // ρ·e
	VADDPS  Y1, Y0, Y0
	VMOVUPS Y0, (DI)(BX*4)
	NEXT(alpha_len+32(FP), adg_loop)

adg_done:
	VZEROUPPER
	RET

// func adaptiveGradUAVX(out, u, g, d, e, alpha, a, b []float32, num, steep float32)
// out = ((g + b·e)·(num/(q·q)) + α·d) + a·e,  q = steep·|u − 1| + 1
TEXT ·adaptiveGradUAVX(SB), NOSPLIT, $0-200
	MOVQ         out_base+0(FP), DI
	MOVQ         u_base+24(FP), SI
	MOVQ         g_base+48(FP), DX
	MOVQ         d_base+72(FP), R8
	MOVQ         e_base+96(FP), R9
	MOVQ         alpha_base+120(FP), R10
	MOVQ         a_base+144(FP), R11
	MOVQ         b_base+168(FP), R13
	VBROADCASTSS num+192(FP), Y10
	VBROADCASTSS steep+196(FP), Y11
	VBROADCASTSS pnone<>(SB), Y8
	VBROADCASTSS pnabs<>(SB), Y9
	START(out_len+8(FP), agu_done)

agu_loop:
	VMOVUPS (R13)(R12*4), Y0
	VMULPS  (R9)(BX*4), Y0, Y0 // b·e
	VMOVUPS (DX)(BX*4), Y1
	VADDPS  Y0, Y1, Y1         // dS = g + b·e
	VMOVUPS (SI)(BX*4), Y2
	VSUBPS  Y8, Y2, Y2         // u − 1
	VANDPS  Y9, Y2, Y2         // |u − 1|
	VMULPS  Y2, Y11, Y2        // steep·|u − 1|
	VADDPS  Y8, Y2, Y2         // q
	VMULPS  Y2, Y2, Y2
	VDIVPS  Y2, Y10, Y2        // num/(q·q)
	VMULPS  Y2, Y1, Y1         // h = dS·(num/(q·q))
	VMOVUPS (R10)(R12*4), Y3
	VMULPS  (R8)(BX*4), Y3, Y3 // α·d
	VADDPS  Y3, Y1, Y1
	VMOVUPS (R11)(R12*4), Y3
	VMULPS  (R9)(BX*4), Y3, Y3 // a·e
	VADDPS  Y3, Y1, Y1
	VMOVUPS Y1, (DI)(BX*4)
	NEXT(alpha_len+128(FP), agu_loop)

agu_done:
	VZEROUPPER
	RET

// func alphaGradAVX(dst, du, u, r, x, w []float32)
// dst[j mod cols] = dst[j mod cols] + du[j]·(((u[j] − r[j]) − x[j]) + w[j]),
// cols = len(dst)
TEXT ·alphaGradAVX(SB), NOSPLIT, $0-144
	MOVQ dst_base+0(FP), DI
	MOVQ du_base+24(FP), SI
	MOVQ u_base+48(FP), DX
	MOVQ r_base+72(FP), R8
	MOVQ x_base+96(FP), R9
	MOVQ w_base+120(FP), R10
	START(du_len+32(FP), alg_done)

alg_loop:
	VMOVUPS (DX)(BX*4), Y0
	VSUBPS  (R8)(BX*4), Y0, Y0  // u − r
	VSUBPS  (R9)(BX*4), Y0, Y0  // − x
	VADDPS  (R10)(BX*4), Y0, Y0 // + w
	VMOVUPS (SI)(BX*4), Y1
	VMULPS  Y0, Y1, Y1          // du·(…)
	VMOVUPS (DI)(R12*4), Y2
	VADDPS  Y1, Y2, Y2
	VMOVUPS Y2, (DI)(R12*4)
	NEXT(dst_len+8(FP), alg_loop)

alg_done:
	VZEROUPPER
	RET

// func membraneDecayAVX(out, beta, u, i, r []float32)
// out = (β·u + (1 − β)·i)·(1 − r)
TEXT ·membraneDecayAVX(SB), NOSPLIT, $0-120
	MOVQ         out_base+0(FP), DI
	MOVQ         beta_base+24(FP), SI
	MOVQ         u_base+48(FP), DX
	MOVQ         i_base+72(FP), R8
	MOVQ         r_base+96(FP), R9
	VBROADCASTSS pnone<>(SB), Y7
	START(out_len+8(FP), mdc_done)

mdc_loop:
	VMOVUPS (SI)(R12*4), Y0
	VMULPS  (DX)(BX*4), Y0, Y1 // β·u
	VSUBPS  Y0, Y7, Y0         // 1 − β
	VMULPS  (R8)(BX*4), Y0, Y0 // (1 − β)·i
	VADDPS  Y0, Y1, Y1
	VSUBPS  (R9)(BX*4), Y7, Y2 // 1 − r
	VMULPS  Y2, Y1, Y1
	VMOVUPS Y1, (DI)(BX*4)
	NEXT(beta_len+32(FP), mdc_loop)

mdc_done:
	VZEROUPPER
	RET

// func integrateDecayAVX(out, beta, u, i []float32)
// out = β·u + (1 − β)·i
TEXT ·integrateDecayAVX(SB), NOSPLIT, $0-96
	MOVQ         out_base+0(FP), DI
	MOVQ         beta_base+24(FP), SI
	MOVQ         u_base+48(FP), DX
	MOVQ         i_base+72(FP), R8
	VBROADCASTSS pnone<>(SB), Y7
	START(out_len+8(FP), idc_done)

idc_loop:
	VMOVUPS (SI)(R12*4), Y0
	VMULPS  (DX)(BX*4), Y0, Y1 // β·u
	VSUBPS  Y0, Y7, Y0         // 1 − β
	VMULPS  (R8)(BX*4), Y0, Y0 // (1 − β)·i
	VADDPS  Y0, Y1, Y1
	VMOVUPS Y1, (DI)(BX*4)
	NEXT(beta_len+32(FP), idc_loop)

idc_done:
	VZEROUPPER
	RET

// func lifGradIDecayAVX(out, d, betaMem, betaSyn, e, r []float32)
// out = ((1 − β_mem)·d)·(1 − r) + β_syn·e
TEXT ·lifGradIDecayAVX(SB), NOSPLIT, $0-144
	MOVQ         out_base+0(FP), DI
	MOVQ         d_base+24(FP), SI
	MOVQ         betaMem_base+48(FP), DX
	MOVQ         betaSyn_base+72(FP), R8
	MOVQ         e_base+96(FP), R9
	MOVQ         r_base+120(FP), R10
	VBROADCASTSS pnone<>(SB), Y7
	START(out_len+8(FP), gid_done)

gid_loop:
	VSUBPS  (DX)(R12*4), Y7, Y0 // 1 − β_mem
	VMULPS  (SI)(BX*4), Y0, Y0  // ·d
	VSUBPS  (R10)(BX*4), Y7, Y1 // 1 − r
	VMULPS  Y1, Y0, Y0
	VMOVUPS (R8)(R12*4), Y1
	VMULPS  (R9)(BX*4), Y1, Y1  // β_syn·e
	VADDPS  Y1, Y0, Y0
	VMOVUPS Y0, (DI)(BX*4)
	NEXT(betaMem_len+56(FP), gid_loop)

gid_done:
	VZEROUPPER
	RET

// func addDecayedAVX(out, h, beta, d, r []float32)
// out = h + (β·(1 − r))·d
TEXT ·addDecayedAVX(SB), NOSPLIT, $0-120
	MOVQ         out_base+0(FP), DI
	MOVQ         h_base+24(FP), SI
	MOVQ         beta_base+48(FP), DX
	MOVQ         d_base+72(FP), R8
	MOVQ         r_base+96(FP), R9
	VBROADCASTSS pnone<>(SB), Y7
	START(out_len+8(FP), add_done)

add_loop:
	VSUBPS  (R9)(BX*4), Y7, Y0 // 1 − r
	VMOVUPS (DX)(R12*4), Y1
	VMULPS  Y0, Y1, Y1         // β·(1 − r)
	VMULPS  (R8)(BX*4), Y1, Y1 // ·d
	VMOVUPS (SI)(BX*4), Y0
	VADDPS  Y1, Y0, Y0         // h + …
	VMOVUPS Y0, (DI)(BX*4)
	NEXT(beta_len+56(FP), add_loop)

add_done:
	VZEROUPPER
	RET

// func addDecayGradAVX(dst, du, u, i, r []float32)
// dst[j mod cols] = dst[j mod cols] + (du[j]·(1 − r[j]))·(u[j] − i[j]),
// cols = len(dst)
TEXT ·addDecayGradAVX(SB), NOSPLIT, $0-120
	MOVQ         dst_base+0(FP), DI
	MOVQ         du_base+24(FP), SI
	MOVQ         u_base+48(FP), DX
	MOVQ         i_base+72(FP), R8
	MOVQ         r_base+96(FP), R9
	VBROADCASTSS pnone<>(SB), Y7
	START(du_len+32(FP), adgr_done)

adgr_loop:
	VSUBPS  (R9)(BX*4), Y7, Y0 // 1 − r
	VMOVUPS (SI)(BX*4), Y1
	VMULPS  Y0, Y1, Y1         // du·(1 − r)
	VMOVUPS (DX)(BX*4), Y2
	VSUBPS  (R8)(BX*4), Y2, Y2 // u − i
	VMULPS  Y2, Y1, Y1
	VMOVUPS (DI)(R12*4), Y0
	VADDPS  Y1, Y0, Y0
	VMOVUPS Y0, (DI)(R12*4)
	NEXT(dst_len+8(FP), adgr_loop)

adgr_done:
	VZEROUPPER
	RET
