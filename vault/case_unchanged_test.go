package vault

import "testing"

func TestUpdateCaseIfChanged(t *testing.T) {
	v := newTestVault(t)
	defer v.Close()
	id, err := v.AddCase(testCase(t, "Ivan Petrov", "Иван Петров", "pretrial"))
	if err != nil {
		t.Fatal(err)
	}
	head, _ := v.AuditHead()
	rev, changed, err := v.UpdateCaseIfChanged(id, testCase(t, "Ivan Petrov", "Иван Петров", "pretrial"), AddOptions{Op: OpCaseUpdate})
	if err != nil || changed || rev.Rev != 1 {
		t.Fatalf("the same document: rev %v changed %v err %v", rev, changed, err)
	}
	if h, _ := v.AuditHead(); h != head {
		t.Fatalf("an unchanged update wrote audit entry %d", h.Seq)
	}
	if hist, _ := v.History(id); len(hist) != 1 {
		t.Fatalf("%d revisions after an unchanged update", len(hist))
	}
	rev, changed, err = v.UpdateCaseIfChanged(id, testCase(t, "Ivan Petrov", "Иван Петров", "sentenced"), AddOptions{Op: OpCaseUpdate})
	if err != nil || !changed || rev.Rev != 2 {
		t.Fatalf("a changed document: rev %v changed %v err %v", rev, changed, err)
	}
}
