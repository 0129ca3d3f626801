import Link from "next/link";
import type { AnchorHTMLAttributes, ButtonHTMLAttributes } from "react";

type Variant = "primary" | "secondary" | "danger" | "ghost";
type Size = "sm" | "md";

const styles: Record<Variant, string> = {
  primary: "bg-brand-600 text-white shadow-sm hover:bg-[#1f42b5] disabled:opacity-60",
  secondary: "border border-slate-300 bg-surface text-slate-800 shadow-sm hover:bg-slate-50 disabled:opacity-60",
  // Fixed reds: the mirrored dark palette would make white text unreadable.
  danger: "bg-[#dc2626] text-white shadow-sm hover:bg-[#b91c1c] disabled:opacity-60",
  ghost: "text-slate-700 hover:bg-slate-100 disabled:opacity-60",
};

const sizes: Record<Size, string> = { sm: "px-2.5 py-1.5 text-xs", md: "px-3.5 py-2 text-sm" };

export function buttonClass(variant: Variant = "primary", size: Size = "md", className = ""): string {
  return `inline-flex items-center justify-center gap-2 rounded-md font-medium transition disabled:cursor-not-allowed ${styles[variant]} ${sizes[size]} ${className}`;
}

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; size?: Size };

export function Button({ variant = "primary", size = "md", className = "", type = "button", ...props }: ButtonProps) {
  return <button type={type} className={buttonClass(variant, size, className)} {...props} />;
}

type LinkButtonProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; variant?: Variant; size?: Size };

export function LinkButton({ variant = "primary", size = "md", className = "", href, ...props }: LinkButtonProps) {
  return <Link href={href} className={buttonClass(variant, size, className)} {...props} />;
}
