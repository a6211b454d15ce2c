//go:build amd64 && !purego

// The event loops of the synapses: see avx_amd64.s for the rules.

#include "textflag.h"

// func gatherRowsAVX(dst, table []float32, cols int, start, idx []int32, vals []float32, gain float32)
// For each row b < len(start)−1 of dst and k from start[b] to start[b+1]−1
// in order, dst[b·cols+j] += a·table[idx[k]·cols+j] with a = vals[k]·gain,
// for j < cols&^7. The sums of 64 columns (then 8) at a time stay in
// registers over the row's events: one load and store of dst per block
// instead of one per event.
TEXT ·gatherRowsAVX(SB), NOSPLIT, $0-132
	MOVQ   dst_base+0(FP), DI
	MOVQ   table_base+24(FP), SI
	MOVQ   cols+48(FP), R8
	SHLQ   $2, R8                 // bytes per row
	MOVQ   start_base+56(FP), R13 // &start[b]
	MOVQ   start_len+64(FP), R15
	DECQ   R15
	JLE    ga_done
	LEAQ   (R13)(R15*4), R15      // &start[rows]
	MOVQ   idx_base+80(FP), R9
	MOVQ   vals_base+104(FP), R11
	VMOVSS gain+128(FP), X10

ga_row:
	CMPQ    R13, R15
	JAE     ga_done
	MOVLQSX 4(R13), R10 // the row's events end
	MOVQ    cols+48(FP), CX
	SHRQ    $3, CX      // blocks of 8 columns left
	XORQ    BX, BX      // byte offset of the block of columns
	MOVLQSX (R13), DX
	CMPQ    DX, R10
	JGE     ga_next

ga_wide:
	CMPQ    CX, $8
	JB      ga_narrow
	VMOVUPS (DI)(BX*1), Y0
	VMOVUPS 32(DI)(BX*1), Y1
	VMOVUPS 64(DI)(BX*1), Y2
	VMOVUPS 96(DI)(BX*1), Y3
	VMOVUPS 128(DI)(BX*1), Y4
	VMOVUPS 160(DI)(BX*1), Y5
	VMOVUPS 192(DI)(BX*1), Y6
	VMOVUPS 224(DI)(BX*1), Y7
	MOVLQSX (R13), DX

ga_wide_event:
	VMOVSS      (R11)(DX*4), X8
	VMULSS      X10, X8, X8
	VSHUFPS     $0, X8, X8, X8
	VINSERTF128 $1, X8, Y8, Y8
	MOVLQSX     (R9)(DX*4), AX
	IMULQ       R8, AX
	ADDQ        SI, AX
	VMULPS      (AX)(BX*1), Y8, Y9
	VADDPS      Y0, Y9, Y0
	VMULPS      32(AX)(BX*1), Y8, Y9
	VADDPS      Y1, Y9, Y1
	VMULPS      64(AX)(BX*1), Y8, Y9
	VADDPS      Y2, Y9, Y2
	VMULPS      96(AX)(BX*1), Y8, Y9
	VADDPS      Y3, Y9, Y3
	VMULPS      128(AX)(BX*1), Y8, Y9
	VADDPS      Y4, Y9, Y4
	VMULPS      160(AX)(BX*1), Y8, Y9
	VADDPS      Y5, Y9, Y5
	VMULPS      192(AX)(BX*1), Y8, Y9
	VADDPS      Y6, Y9, Y6
	VMULPS      224(AX)(BX*1), Y8, Y9
	VADDPS      Y7, Y9, Y7
	INCQ        DX
	CMPQ        DX, R10
	JB          ga_wide_event
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
	JMP     ga_wide

ga_narrow:
	TESTQ   CX, CX
	JZ      ga_next
	VMOVUPS (DI)(BX*1), Y0
	MOVLQSX (R13), DX

ga_narrow_event:
	VMOVSS      (R11)(DX*4), X8
	VMULSS      X10, X8, X8
	VSHUFPS     $0, X8, X8, X8
	VINSERTF128 $1, X8, Y8, Y8
	MOVLQSX     (R9)(DX*4), AX
	IMULQ       R8, AX
	ADDQ        SI, AX
	VMULPS      (AX)(BX*1), Y8, Y9
	VADDPS      Y0, Y9, Y0
	INCQ        DX
	CMPQ        DX, R10
	JB          ga_narrow_event
	VMOVUPS     Y0, (DI)(BX*1)
	ADDQ        $32, BX
	DECQ        CX
	JMP         ga_narrow

ga_next:
	ADDQ R8, DI
	ADDQ $4, R13
	JMP  ga_row

ga_done:
	VZEROUPPER
	RET

// func scatterRowsAVX(table, src []float32, cols int, start, idx []int32, vals []float32, gain float32, first, n int)
// For each row b < len(start)−1 of src and k from start[b] to start[b+1]−1
// in order, table[(idx[k]−first)·cols+j] += a·src[b·cols+j] with
// a = vals[k]·gain, for j < cols&^7, when first ≤ idx[k] < first+n (table
// holds rows first… of a matrix); the other events are skipped. The
// products a·src of 64 columns (then 8) at a time stay in registers while
// a repeats from one event to the next (X12 holds it in its four lanes, or
// lanes that differ when the registers hold none; a new a is compared bit
// for bit): the spikes of a raster all have the value 1.
TEXT ·scatterRowsAVX(SB), NOSPLIT, $8-152
	MOVQ   table_base+0(FP), SI
	MOVQ   src_base+24(FP), DI
	MOVQ   cols+48(FP), R8
	SHLQ   $2, R8                 // bytes per row
	MOVQ   start_base+56(FP), R13 // &start[b]
	MOVQ   start_len+64(FP), AX
	DECQ   AX
	JLE    sc_done
	LEAQ   (R13)(AX*4), AX
	MOVQ   AX, end-8(SP)          // &start[rows]
	MOVQ   idx_base+80(FP), R9
	MOVQ   vals_base+104(FP), R11
	VMOVSS gain+128(FP), X10
	MOVQ   first+136(FP), R12
	MOVQ   n+144(FP), R15

sc_row:
	CMPQ    R13, end-8(SP)
	JAE     sc_done
	MOVLQSX 4(R13), R10 // the row's events end
	MOVQ    cols+48(FP), CX
	SHRQ    $3, CX      // blocks of 8 columns left
	XORQ    BX, BX      // byte offset of the block of columns
	MOVLQSX (R13), DX
	CMPQ    DX, R10
	JGE     sc_next

sc_wide:
	CMPQ    CX, $8
	JB      sc_narrow
	MOVLQSX (R13), DX
	VMOVUPS heldnone<>(SB), X12

sc_wide_event:
	MOVLQSX     (R9)(DX*4), AX
	SUBQ        R12, AX
	CMPQ        AX, R15
	JAE         sc_wide_next
	IMULQ       R8, AX
	ADDQ        SI, AX
	VMOVSS      (R11)(DX*4), X11
	VMULSS      X10, X11, X11
	VSHUFPS     $0, X11, X11, X11
	VXORPS      X11, X12, X13
	VPTEST      X13, X13
	JEQ         sc_wide_add
	VMOVAPS     X11, X12
	VINSERTF128 $1, X11, Y11, Y11
	VMULPS      (DI)(BX*1), Y11, Y0
	VMULPS      32(DI)(BX*1), Y11, Y1
	VMULPS      64(DI)(BX*1), Y11, Y2
	VMULPS      96(DI)(BX*1), Y11, Y3
	VMULPS      128(DI)(BX*1), Y11, Y4
	VMULPS      160(DI)(BX*1), Y11, Y5
	VMULPS      192(DI)(BX*1), Y11, Y6
	VMULPS      224(DI)(BX*1), Y11, Y7

sc_wide_add:
	VADDPS      (AX)(BX*1), Y0, Y9
	VMOVUPS     Y9, (AX)(BX*1)
	VADDPS      32(AX)(BX*1), Y1, Y9
	VMOVUPS     Y9, 32(AX)(BX*1)
	VADDPS      64(AX)(BX*1), Y2, Y9
	VMOVUPS     Y9, 64(AX)(BX*1)
	VADDPS      96(AX)(BX*1), Y3, Y9
	VMOVUPS     Y9, 96(AX)(BX*1)
	VADDPS      128(AX)(BX*1), Y4, Y9
	VMOVUPS     Y9, 128(AX)(BX*1)
	VADDPS      160(AX)(BX*1), Y5, Y9
	VMOVUPS     Y9, 160(AX)(BX*1)
	VADDPS      192(AX)(BX*1), Y6, Y9
	VMOVUPS     Y9, 192(AX)(BX*1)
	VADDPS      224(AX)(BX*1), Y7, Y9
	VMOVUPS     Y9, 224(AX)(BX*1)

sc_wide_next:
	INCQ DX
	CMPQ DX, R10
	JB   sc_wide_event
	ADDQ $256, BX
	SUBQ $8, CX
	JMP  sc_wide

sc_narrow:
	TESTQ   CX, CX
	JZ      sc_next
	MOVLQSX (R13), DX

sc_narrow_event:
	MOVLQSX     (R9)(DX*4), AX
	SUBQ        R12, AX
	CMPQ        AX, R15
	JAE         sc_narrow_next
	IMULQ       R8, AX
	ADDQ        SI, AX
	VMOVSS      (R11)(DX*4), X11
	VMULSS      X10, X11, X11
	VSHUFPS     $0, X11, X11, X11
	VINSERTF128 $1, X11, Y11, Y11
	VMULPS      (DI)(BX*1), Y11, Y0
	VADDPS      (AX)(BX*1), Y0, Y0
	VMOVUPS     Y0, (AX)(BX*1)

sc_narrow_next:
	INCQ DX
	CMPQ DX, R10
	JB   sc_narrow_event
	ADDQ $32, BX
	DECQ CX
	JMP  sc_narrow

sc_next:
	ADDQ R8, DI
	ADDQ $4, R13
	JMP  sc_row

sc_done:
	VZEROUPPER
	RET

// Lanes that differ: no broadcast a equals them.
DATA heldnone<>+0(SB)/8, $0xffffffff00000000
DATA heldnone<>+8(SB)/8, $0xffffffff00000000
GLOBL heldnone<>(SB), RODATA|NOPTR, $16
