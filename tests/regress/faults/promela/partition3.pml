/* Three nodes gossiping one Hello each (faults/partition_three.keel), with
   the fault partition(Node) at most 1 written by hand, following
   docs/faults.md: side[i], partitioned and the budget counter used are
   state; partition(group) needs !partitioned and used < 1, for a proper
   non-empty group holding node 0 ({0}, {0,1}, {0,2}), sets side[i] for the
   members and spends one unit; heal (free) clears partitioned and puts the
   sides back to false (as Keel does; the doc does not say); while
   partitioned, a receive skips messages whose sender is on the other side.
   net[j*3 + i] is Hello(i) in net[j] (unordered, capacity 1); known[j*3+i]
   is node j having received Hello(i). */
bit sent[3];
bit net[9];
bit known[9];
bit side[3];
bit partitioned = 0;
byte used = 0;

#define SEND(i, j, k) :: d_step { !sent[i] -> sent[i] = 1; \
    assert(!net[(j)*3 + (i)] && !net[(k)*3 + (i)]); net[(j)*3 + (i)] = 1; net[(k)*3 + (i)] = 1 }
#define RECV(j, i) :: d_step { net[(j)*3 + (i)] && (!partitioned || side[i] == side[j]) -> \
    net[(j)*3 + (i)] = 0; known[(j)*3 + (i)] = 1 }
#define PARTITION(a, b, c) :: d_step { !partitioned && used < 1 -> \
    side[0] = a; side[1] = b; side[2] = c; partitioned = 1; used++ }

active proctype P3() {
  do
  SEND(0, 1, 2) SEND(1, 0, 2) SEND(2, 0, 1)
  RECV(0, 1) RECV(0, 2) RECV(1, 0) RECV(1, 2) RECV(2, 0) RECV(2, 1)
  PARTITION(1, 0, 0) PARTITION(1, 1, 0) PARTITION(1, 0, 1)
  :: d_step { partitioned -> partitioned = 0; side[0] = 0; side[1] = 0; side[2] = 0 }
  od
}
