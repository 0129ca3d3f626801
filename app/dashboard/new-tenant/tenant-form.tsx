"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { createTenantAction } from "./actions";

export function TenantForm() {
  const [state, action, pending] = useActionState(createTenantAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  const values = state && !state.ok ? (state.values ?? {}) : {};
  return (
    <form action={action} className="space-y-4" noValidate>
      {state && !state.ok && !Object.keys(errors).length ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.message}
        </p>
      ) : null}
      <Field
        label="Slug"
        name="slug"
        required
        placeholder="acme-prod"
        defaultValue={values.slug}
        hint="3–32 lowercase letters, digits and hyphens; part of the tenant's URLs"
        error={errors.slug}
      />
      <Field label="Name" name="name" placeholder="Acme production" defaultValue={values.name} error={errors.name} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating…" : "Create tenant"}
      </Button>
    </form>
  );
}
