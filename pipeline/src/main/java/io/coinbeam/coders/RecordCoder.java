package io.coinbeam.coders;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One compact binary coder for any Java record whose components are strings, numbers, booleans or
 * enums (boxed components may be null). It lets every stream's row type move between workers
 * without a hand-written coder per type and without Java serialization, which is several times
 * larger and slower.
 */
public final class RecordCoder<T extends Record> extends CustomCoder<T> {
  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private transient Component[] components;
  private transient MethodHandle constructor;

  private RecordCoder(Class<T> type) {
    this.type = type;
    init();
  }

  public static <T extends Record> RecordCoder<T> of(Class<T> type) {
    return new RecordCoder<>(type);
  }

  private void init() {
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      RecordComponent[] recordComponents = type.getRecordComponents();
      Class<?>[] parameterTypes = new Class<?>[recordComponents.length];
      List<Component> list = new ArrayList<>();
      for (int i = 0; i < recordComponents.length; i++) {
        RecordComponent rc = recordComponents[i];
        parameterTypes[i] = rc.getType();
        // (Object) -> Object, so encode calls it with invokeExact instead of the slower invoke.
        MethodHandle accessor =
            lookup
                .unreflect(rc.getAccessor())
                .asType(MethodType.methodType(Object.class, Object.class));
        list.add(new Component(rc.getName(), accessor, coderFor(rc.getType())));
      }
      components = list.toArray(new Component[0]);
      // (Object[]) -> Object: one spread call per decoded record; invokeWithArguments built the
      // call anew for every record and was the largest cost of decoding.
      constructor =
          lookup
              .findConstructor(type, MethodType.methodType(void.class, parameterTypes))
              .asSpreader(Object[].class, parameterTypes.length)
              .asType(MethodType.methodType(Object.class, Object[].class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(type + " is not a public record", e);
    }
  }

  private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    init();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Coder<Object> coderFor(Class<?> type) {
    Coder<?> coder;
    if (type == String.class) {
      coder = NullableCoder.of(StringUtf8Coder.of());
    } else if (type == double.class) {
      coder = DoubleCoder.of();
    } else if (type == Double.class) {
      coder = NullableCoder.of(DoubleCoder.of());
    } else if (type == long.class) {
      coder = VarLongCoder.of();
    } else if (type == Long.class) {
      coder = NullableCoder.of(VarLongCoder.of());
    } else if (type == int.class) {
      coder = VarIntCoder.of();
    } else if (type == Integer.class) {
      coder = NullableCoder.of(VarIntCoder.of());
    } else if (type == boolean.class) {
      coder = BooleanCoder.of();
    } else if (type == Boolean.class) {
      coder = NullableCoder.of(BooleanCoder.of());
    } else if (type.isEnum()) {
      coder = NullableCoder.of(new EnumCoder(type));
    } else {
      throw new IllegalArgumentException("RecordCoder cannot encode a component of type " + type);
    }
    return (Coder<Object>) coder;
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    if (value == null) {
      throw new CoderException("cannot encode a null " + type.getSimpleName());
    }
    try {
      for (Component c : components) {
        c.coder.encode((Object) c.accessor.invokeExact((Object) value), out);
      }
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new CoderException("cannot encode " + type.getSimpleName(), t);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public T decode(InputStream in) throws IOException {
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      values[i] = components[i].coder.decode(in);
    }
    try {
      return (T) (Object) constructor.invokeExact(values);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new CoderException("cannot decode " + type.getSimpleName(), t);
    }
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    for (Component c : components) {
      verifyDeterministic(this, c.name + " must encode deterministically", c.coder);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RecordCoder<?> that && that.type.equals(type);
  }

  @Override
  public int hashCode() {
    return Objects.hash(RecordCoder.class, type);
  }

  @Override
  public String toString() {
    return "RecordCoder(" + type.getSimpleName() + ")";
  }

  private record Component(String name, MethodHandle accessor, Coder<Object> coder) {}

  /** Encodes an enum constant by its ordinal. */
  private static final class EnumCoder<E extends Enum<E>> extends CustomCoder<E> {
    private static final long serialVersionUID = 1L;
    private final Class<E> type;

    EnumCoder(Class<E> type) {
      this.type = type;
    }

    @Override
    public void encode(E value, OutputStream out) throws IOException {
      VarIntCoder.of().encode(value.ordinal(), out);
    }

    @Override
    public E decode(InputStream in) throws IOException {
      int ordinal = VarIntCoder.of().decode(in);
      E[] constants = type.getEnumConstants();
      if (ordinal < 0 || ordinal >= constants.length) {
        throw new CoderException("no " + type.getSimpleName() + " with ordinal " + ordinal);
      }
      return constants[ordinal];
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean equals(Object other) {
      return other instanceof EnumCoder<?> that && that.type.equals(type);
    }

    @Override
    public int hashCode() {
      return type.hashCode();
    }
  }
}
