// Dashboard pages: a domain NotFoundError (an id of another tenant, a deleted
// row) becomes Next's 404, the same answer a non-member gets.
import { notFound } from "next/navigation";
import { asDomainError } from "@/lib/domain/errors";

export async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (asDomainError(error)?.code === "not_found") notFound();
    throw error;
  }
}
