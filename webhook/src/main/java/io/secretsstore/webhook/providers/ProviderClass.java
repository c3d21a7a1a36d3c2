package io.secretsstore.webhook.providers;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A class's parameters as its provider parses them.
 *
 * @param objects what the provider fetches, each with the files it writes
 * @param filesKnown whether {@code objects} is the whole layout of the mount; false when the
 *     objects do not parse, so rules that compare against the files stay silent
 * @param problems what fails the mount or is silently ignored, each with its field path
 * @param auth how the provider authenticates with these parameters
 * @param model the provider's own reading (e.g. Azure's Key Vault objects), for checks that
 *     only that provider's data can make
 */
public record ProviderClass(
    List<MountedObject> objects,
    boolean filesKnown,
    List<ParameterProblem> problems,
    AuthMode auth,
    Object model) {

  /** Every file the mount writes, in object order (empty unless {@link #filesKnown()}). */
  public Set<String> files() {
    Set<String> files = new LinkedHashSet<>();
    if (filesKnown) {
      objects.forEach(o -> files.addAll(o.files()));
    }
    return files;
  }

  /** The problems a rule reports: those of one kind. */
  public List<ParameterProblem> problems(ParameterProblem.Kind kind) {
    return problems.stream().filter(p -> p.kind() == kind).toList();
  }

  /** The provider's own model, when it is of that type. */
  public <T> Optional<T> model(Class<T> type) {
    return type.isInstance(model) ? Optional.of(type.cast(model)) : Optional.empty();
  }
}
