"use client";
// Live tail: while on, the page re-renders on the server every few seconds
// (router.refresh keeps the filters, the scroll position and this toggle).
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

const EVERY_MS = 2000;

export function LiveTail() {
  const router = useRouter();
  const [on, setOn] = useState(false);
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => router.refresh(), EVERY_MS);
    return () => clearInterval(timer);
  }, [on, router]);
  return (
    <button
      type="button"
      aria-pressed={on}
      onClick={() => setOn((v) => !v)}
      className={`inline-flex items-center gap-2 rounded-md border px-3.5 py-2 text-sm font-medium shadow-sm ${on ? "border-emerald-600 bg-emerald-50 text-emerald-800" : "border-slate-300 bg-surface text-slate-700 hover:bg-slate-50"}`}
    >
      <span aria-hidden className={`size-2 rounded-full ${on ? "animate-pulse bg-emerald-600" : "bg-slate-400"}`} />
      {on ? "Live tail on" : "Live tail"}
    </button>
  );
}
