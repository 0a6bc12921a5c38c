/* Alternating bit protocol over lossy FIFO channels (alternating_bit.keel).
   data: frames (bit, value); ack: frames (bit); both capacity 2 as in Keel,
   where the senders are guarded by len(...) < 2. The sender alternates the
   values 0, 1, 0, ...; the receiver asserts that it never delivers the
   same value twice in a row. Lose* drop the head of a channel. */
chan data = [2] of { bit, byte };
chan ack = [2] of { bit };
bit sBit = 0;
byte sVal = 0;
bit rBit = 0;
byte last = 1;
active proctype ABP() {
  bit b = 0;
  byte v = 0;
  do
  :: d_step { len(data) < 2 -> data!sBit,sVal }
  :: d_step { len(data) > 0 && len(ack) < 2 -> data?b,v;
       if :: b == rBit -> assert(v != last); last = v; rBit = 1 - rBit :: else -> skip fi;
       ack!b; b = 0; v = 0 }
  :: d_step { len(ack) > 0 -> ack?b;
       if :: b == sBit -> sBit = 1 - sBit; sVal = 1 - sVal :: else -> skip fi; b = 0 }
  :: d_step { len(data) > 0 -> data?b,v; b = 0; v = 0 }
  :: d_step { len(ack) > 0 -> ack?b; b = 0 }
  :: d_step { (rBit == sBit) != (last != sVal) -> assert(false) }
  od
}
